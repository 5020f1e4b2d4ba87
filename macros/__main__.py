"""Command line for every build task: ``python -m macros <command>``.

Commands:

``check``
    Validate all content; print every problem as ``file:line:col: field: message``.
    Exit 0 when the content is valid, 2 when it is not.
``schemas``
    Write the JSON Schemas of the content files to ``schemas/`` (editors' completion and
    squiggles through the ``# yaml-language-server: $schema=…`` first line of each file,
    check-jsonschema in pre-commit) and the data dictionary in ``CONTRIBUTING.md``; run it
    after every change to :mod:`macros.model`.
``build [--site-dir DIR] [--jobs N]``
    The whole build, top to bottom:

    1. check the content (stop on any problem);
    2. ``mkdocs build --strict`` into a fresh temporary folder next to the site folder
       (the hooks render every PDF into it, in parallel, from the cache when unchanged);
    3. make sure every page, PDF and redirect page is there;
    4. swap the temporary folder into place in one rename.

    A failure at any step leaves the previous site exactly as it was. Exit 0 on success,
    1 on a build failure, 2 on content problems.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(root: Path = ROOT) -> int:
    """Validate the content under ``root``; print the report. Returns the exit code (0 or 2)."""
    from macros.loader import ContentError, load_toolkit

    try:
        toolkit = load_toolkit(root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    print(
        f"Content OK: {len(toolkit.activities)} activit{'y' if len(toolkit.activities) == 1 else 'ies'}, "
        f"{len(toolkit.resources)} resources.",
        file=sys.stderr,
    )
    return 0


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of each content file type, generated from :mod:`macros.model`:
    ``{"site.schema.json": …, "activity.schema.json": …, "resource.schema.json": …}``.

    The schemas serve editors (completion and squiggles in VS Code) and ``check-jsonschema``
    (pre-commit). Both read YAML 1.2, where an unquoted ``12`` or ``1.10`` is a number and a
    quoted ``"3"`` is text, while the loader reads every value as text and converts it where the
    model asks for a number or a date. So that the schema never refuses a file the loader
    accepts, text fields also accept numbers and whole-number fields also accept digits in
    quotes. Dates arrive as text (``check-jsonschema`` reads timestamps as strings) and are
    checked as ``format: date``. Unquoted ``true``/``false`` in text stay refused: yamllint's
    truthy rule asks for quotes there too. The loader remains the final word on every value.
    """
    from pydantic import TypeAdapter
    from pydantic.json_schema import GenerateJsonSchema

    from macros import model as m

    class EditorSchema(GenerateJsonSchema):
        def str_schema(self, schema):
            out = super().str_schema(schema)
            out["type"] = ["string", "number"]  # minLength / pattern apply to strings only
            return out

        def int_schema(self, schema):
            out = super().int_schema(schema)
            out["type"] = ["integer", "string"]  # minimum / maximum apply to numbers only
            out["pattern"] = "^[0-9]+$"
            return out

    def finish(schema: dict, title: str) -> dict:
        return {"$schema": "https://json-schema.org/draft/2020-12/schema", "title": title, **schema}

    # A resource is one of several kinds, chosen by `kind`. `if kind is X then <X's schema>`
    # (rather than pydantic's anyOf) makes every error name the one kind the file is, so
    # `titel:` reads "'titel' was unexpected", not a list of what the other kinds lack.
    defs = TypeAdapter(m.Resource).json_schema(schema_generator=EditorSchema)["$defs"]
    kinds = {kind: cls.__name__ for kind, cls in m.RESOURCE_KINDS.items()}
    resource = {
        "description": "One resource. `kind` chooses which keys it has: " + ", ".join(kinds) + ".",
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"enum": list(kinds), "description": "What sort of resource this is."}},
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": {"$ref": f"#/$defs/{name}"}}
            for kind, name in kinds.items()
        ],
        "$defs": defs,
    }
    return {
        "site.schema.json": finish(m.SiteContent.model_json_schema(schema_generator=EditorSchema), "WBL Toolkit site settings (content/site.yml)"),
        "activity.schema.json": finish(m.Activity.model_json_schema(schema_generator=EditorSchema), "WBL Toolkit activity (content/activities/<id>.yml)"),
        "resource.schema.json": finish(resource, "WBL Toolkit resource (content/resources/<id>.yml)"),
    }


def write_schemas(root: Path = ROOT) -> int:
    """Write :func:`json_schemas` to ``root/schemas/`` and refresh the data dictionary in
    ``root/CONTRIBUTING.md`` (:mod:`macros.dictionary`). Returns 0.

    Raises:
        ValueError: CONTRIBUTING.md lacks the data dictionary's start and end lines.
    """
    import json

    from macros.dictionary import update_contributing

    out = root / "schemas"
    out.mkdir(exist_ok=True)
    for name, schema in json_schemas().items():
        (out / name).write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote schemas/{name}", file=sys.stderr)
    guide = root / "CONTRIBUTING.md"
    if guide.exists():
        changed = update_contributing(guide)
        print(f"{'updated' if changed else 'checked'} the data dictionary in CONTRIBUTING.md", file=sys.stderr)
    return 0


def build(root: Path = ROOT, site_dir: Path | None = None, jobs: int | None = None) -> int:
    """Build the site with its PDFs into ``site_dir`` (default ``root/site``) atomically.
    Returns the exit code (0, 1 or 2); see the module docstring."""
    code = check(root)
    if code:
        return code
    site_dir = (site_dir or root / "site").resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TOOLKIT_PDFS="1")
    if jobs:
        env["TOOLKIT_JOBS"] = str(jobs)
    try:
        run = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(root / "mkdocs.yml"), "--site-dir", str(staging)],
            cwd=root, env=env,
        )
        if run.returncode != 0:
            print(f"Build failed (mkdocs exit {run.returncode}); the site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        missing = _missing_outputs(root, staging)
        if missing:
            print("Build incomplete; missing:\n  " + "\n  ".join(missing), file=sys.stderr)
            print(f"The site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        _swap(staging, site_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    print(f"Site built: {site_dir}", file=sys.stderr)
    return 0


def _missing_outputs(root: Path, site: Path) -> list[str]:
    from macros import redirects, urls
    from macros.loader import load_toolkit

    toolkit = load_toolkit(root)
    expected = ["index.html", urls.CONTINUUM + "index.html", redirects.REDIRECTS_FILE, urls.CATALOG]
    expected += [urls.role_page(a.id) + "index.html" for a in toolkit.site.audiences]
    expected += [urls.activity_page(a) + "index.html" for a in toolkit.activities]
    expected += [urls.activity_packet(a) for a in toolkit.activities]
    for rid in toolkit.resources:
        expected += [urls.resource_page(rid) + "index.html", urls.resource_pdf(rid)]
    expected += [folder + "index.html" for folder in redirects.redirect_pages(toolkit)]
    return [p for p in expected if not (site / p).is_file()]


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old ``target`` (if any) is removed only afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m macros``."""
    parser = argparse.ArgumentParser(prog="python -m macros", description="WBL Toolkit build tasks")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate all content and report every problem")
    sub.add_parser("schemas", help="write the content JSON Schemas to schemas/ and the data dictionary in CONTRIBUTING.md")
    b = sub.add_parser("build", help="check, build the site and its PDFs, swap into place")
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/)")
    b.add_argument("--jobs", "-j", type=int, default=None, help="PDF worker processes (default: one per core)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check()
    if args.command == "schemas":
        return write_schemas()
    return build(site_dir=args.site_dir, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())

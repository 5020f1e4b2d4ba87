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
    for warning in toolkit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
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
    from macros.loader import Glossary, TranslationFile

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
        "translation.schema.json": finish(TranslationFile.model_json_schema(schema_generator=EditorSchema), "WBL Toolkit translation (content/translations/<lang>/…)"),
        "glossary.schema.json": finish(Glossary.model_json_schema(schema_generator=EditorSchema), "WBL Toolkit glossary (content/translations/<lang>/glossary.yml)"),
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


def write_translations(root: Path = ROOT, lang: str = "es") -> int:
    """Create or update ``content/translations/<lang>/`` so it has one file per English file
    and one entry per text: new texts get the English and an empty ``<lang>:`` line to fill in;
    existing translations are kept (a renamed file's under its ``former_ids``), entries the
    English no longer has are dropped, and files whose English file is gone are removed.
    Returns the exit code (2 if the English content has problems)."""
    import json

    from macros import i18n
    from macros.loader import ContentError, load_toolkit, read_document

    try:
        toolkit = load_toolkit(root)
    except ContentError as exc:
        # translation problems are what this command mends; English problems are not
        english = [p for p in exc.problems if "/translations/" not in p.file and "there is no" not in p.message]
        if english:
            print(ContentError(english).report(), file=sys.stderr)
            return 2
        toolkit = load_toolkit(root, translations=False)
    base = root / "content" / "translations" / lang
    targets = [(toolkit.site, base / "site.yml", "site", "../../../schemas/translation.schema.json")]
    targets += [(a, base / "activities" / f"{a.id}.yml", a.id, "../../../../schemas/translation.schema.json") for a in toolkit.activities.values()]
    targets += [(r, base / "resources" / f"{r.id}.yml", r.id, "../../../../schemas/translation.schema.json") for r in toolkit.resources.values()]
    keep = {path for _, path, _, _ in targets} | {base / "glossary.yml"}
    for obj, path, ident, schema in targets:
        existing = {}
        source = path
        if not path.exists():
            # a renamed resource or activity keeps the translation made under its former id
            for old in getattr(obj, "former_ids", []):
                if (path.parent / f"{old}.yml").exists():
                    source = path.parent / f"{old}.yml"
                    break
        if source.exists():
            # read as the loader reads (text stays text); a broken file starts afresh
            doc, _ = read_document(source, source.relative_to(root).as_posix())
            texts = doc.data.get("texts") if doc is not None else None
            existing = texts if isinstance(texts, dict) else {}
        texts = i18n.skeleton(obj, lang, existing)
        lines = [f"# yaml-language-server: $schema={schema}",
                 f"# {i18n.LANGUAGE_NAMES[lang]} translation of {'content/site.yml' if ident == 'site' else toolkit.sources[ident]}.",
                 "# Translate each '" + lang + ":' line. 'en:' is the English it was made from: when the English",
                 "# changes, the check reports the entry as stale until you update '" + lang + ":' and copy the new English into 'en:'.",
                 f"language: {lang}", f"id: {ident}", "texts:"]
        for key, entry in texts.items():
            lines.append(f"  {key}:")
            lines.append(f"    en: {json.dumps(entry['en'], ensure_ascii=False)}")
            lines.append(f"    {lang}: {json.dumps(entry[lang], ensure_ascii=False)}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for orphan in base.rglob("*.yml"):
        if orphan not in keep:  # its English file is gone (or was renamed, see above)
            orphan.unlink()
            print(f"removed {orphan.relative_to(root)} (no English file)", file=sys.stderr)
    print(f"wrote {len(targets)} translation files under {base.relative_to(root)}", file=sys.stderr)
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
    # The PDFs do not depend on the site: render every language's PDFs in one pool of worker
    # processes while MkDocs builds the pages (TOOLKIT_PDFS=0 keeps its hook from rendering).
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TOOLKIT_PDFS="0")
    pdf_dir = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-pdfs-", dir=site_dir.parent))
    pdf_result: dict = {}

    def render_pdfs() -> None:
        import build_pdfs

        try:
            pdf_result["result"] = build_pdfs.build(root, site_dir=pdf_dir, jobs=jobs, progress=False)
        except Exception as exc:  # noqa: BLE001 - reported after the site build
            pdf_result["error"] = exc

    import threading

    pdf_thread = threading.Thread(target=render_pdfs, daemon=True)
    pdf_thread.start()
    try:
        # English at the root, then each other language under <lang>/ (its own MkDocs config,
        # so its search index, theme words and page language are its own).
        from macros import i18n

        for lang in i18n.LANGUAGES:
            config = root / ("mkdocs.yml" if lang == "en" else f"mkdocs.{lang}.yml")
            target = staging if lang == "en" else staging / lang
            run = subprocess.run(
                [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(target)],
                cwd=root, env=env,
            )
            if run.returncode != 0:
                print(f"Build failed (mkdocs exit {run.returncode}, {lang}); the site in {site_dir} was left unchanged.", file=sys.stderr)
                return 1
        pdf_thread.join()
        if "error" in pdf_result or not pdf_result["result"].ok:
            problems = pdf_result.get("error") or "\n".join(f"PDF failed: {n}: {m}" for n, m in pdf_result["result"].failed.items())
            print(f"{problems}\nBuild failed; the site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        result = pdf_result["result"]
        print(f"PDFs: {len(result.rendered)} rendered, {len(result.cached)} unchanged ({result.seconds:.1f} s)", file=sys.stderr)
        _merge_tree(pdf_dir, staging)
        # The catalogs again, now that every language's PDFs are in place (they list sizes).
        from macros import catalog
        from macros.loader import load_toolkit, site_url

        english = load_toolkit(root)
        for edition in [english, *english.editions.values()]:
            folder = staging if edition is english else staging / edition.language
            catalog.write(folder, edition, site_url(edition))
        # ---- issue #16: the offline service workers, made from every page and PDF now in the
        # staging folder (macros/offline.py); must run last before the check and the swap.
        from macros import offline

        try:
            offline.write_service_worker(staging)
        except RuntimeError as exc:
            print(f"{exc}\nBuild failed; the site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        # ---- end issue #16
        missing = _missing_outputs(root, staging)
        if missing:
            print("Build incomplete; missing:\n  " + "\n  ".join(missing), file=sys.stderr)
            print(f"The site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        _swap(staging, site_dir)
    finally:
        pdf_thread.join()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(pdf_dir, ignore_errors=True)
    print(f"Site built: {site_dir}", file=sys.stderr)
    return 0


def _missing_outputs(root: Path, site: Path) -> list[str]:
    """Files every language's build must have produced (pages, PDFs, packets, role pages,
    redirects, catalog); returns those that are missing, as site paths."""
    from macros import i18n
    from macros.loader import load_toolkit

    toolkit = load_toolkit(root)
    missing = []
    for lang in i18n.LANGUAGES:
        prefix = "" if lang == "en" else f"{lang}/"
        missing += [prefix + p for p in _expected_outputs(toolkit.edition(lang)) if not (site / prefix / p).is_file()]
    return missing


def _expected_outputs(toolkit) -> list[str]:
    from macros import redirects, urls

    expected = ["index.html", urls.CONTINUUM + "index.html", urls.ACCESSIBILITY + "index.html", redirects.REDIRECTS_FILE, urls.CATALOG]
    expected += [urls.role_page(a.id) + "index.html" for a in toolkit.site.audiences]
    expected += [urls.activity_page(a) + "index.html" for a in toolkit.activities]
    expected += [urls.activity_packet(a) for a in toolkit.activities]
    for rid in toolkit.resources:
        expected += [urls.resource_page(rid) + "index.html", urls.resource_pdf(rid)]
    expected += [folder + "index.html" for folder in redirects.redirect_pages(toolkit)]
    return expected


def _merge_tree(src: Path, dest: Path) -> None:
    """Move every file under ``src`` to the same place under ``dest``, then remove ``src``."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    shutil.rmtree(src, ignore_errors=True)


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
    t = sub.add_parser("translations", help="create or update the translation files (content/translations/<lang>/)")
    t.add_argument("--lang", default="es")
    b = sub.add_parser("build", help="check, build the site and its PDFs, swap into place")
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/)")
    b.add_argument("--jobs", "-j", type=int, default=None, help="PDF worker processes (default: one per core)")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check()
    if args.command == "schemas":
        return write_schemas()
    if args.command == "translations":
        return write_translations(lang=args.lang)
    return build(site_dir=args.site_dir, jobs=args.jobs)


if __name__ == "__main__":
    sys.exit(main())

"""Command line for every build task: ``python -m macros <command>``.

Commands:

``check``
    Validate all content; print every problem as ``file:line:col: field: message``, then the
    translation status table. Under GitHub Actions, also print each problem as a workflow
    command and write the job summary. Exit 0 when the content is valid (warnings allowed),
    2 when it is not.
``translations [--lang es]``
    Add an entry for every new English text to the translation files (creating the file of a
    new resource), remove entries whose English is gone; refuses (exit 2, nothing written) when
    a translation file cannot be read. See :func:`write_translations`.
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
    """Validate the content under ``root``; print the report and the translation status
    (:mod:`macros.translation_status`). Under GitHub Actions every problem is also printed as
    a workflow command and listed in the job summary (:mod:`macros.ci_report`). Returns the
    exit code (0 or 2)."""
    from macros import ci_report, translation_status
    from macros.loader import ContentError, load_toolkit

    try:
        toolkit = load_toolkit(root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        ci_report.annotate(exc.problems, exc.warnings)
        return 2
    for warning in toolkit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    reported = ci_report.annotate([], toolkit.warnings)
    print(translation_status.text_table(toolkit), file=sys.stderr)
    if reported:  # once per CI job, by whichever of check/build runs first
        translation_status.write_step_summary(toolkit)
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
    from macros import translation_status
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
        "translation-status.schema.json": translation_status.json_schema(),
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
    existing translations are kept (a renamed file's are carried over from the file of its
    ``former_ids``, which is then removed), and entries whose English is gone are removed,
    each reported.

    It never destroys work:

    * a translation file it cannot read (YAML error, a tab, not UTF-8, not a mapping, wrong
      ``id``) makes it refuse: it names the file and line, writes **nothing** and returns 2;
    * a file it does not recognise (no English file, not a former id) is kept and reported;
    * translators' comments are kept (:mod:`macros.translation_file`);
    * each file is written whole to a temporary file and renamed into place, and only when
      its text changes, so a second run changes nothing.

    Returns the exit code: 0, or 2 when the English content or a translation file has problems.
    """
    from macros import i18n, translation_file
    from macros.loader import ContentError, Problem, TranslationFile, load_toolkit, read_document, validate_document

    try:
        toolkit = load_toolkit(root, translations=False)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        print("The English content has problems: mend them first; no translation file was changed.", file=sys.stderr)
        return 2
    base = root / "content" / "translations" / lang
    targets = [(toolkit.site, base / "site.yml", "site", "../../../schemas/translation.schema.json")]
    targets += [(a, base / "activities" / f"{a.id}.yml", a.id, "../../../../schemas/translation.schema.json") for a in toolkit.activities.values()]
    targets += [(r, base / "resources" / f"{r.id}.yml", r.id, "../../../../schemas/translation.schema.json") for r in toolkit.resources.values()]

    # 1. Read every existing translation first; refuse before writing anything.
    problems: list[Problem] = []
    plans = []  # (obj, path, ident, schema, existing texts, source file)
    for obj, path, ident, schema in targets:
        source = path
        if not path.exists():
            # a renamed resource or activity keeps the translation made under its former id
            for old in getattr(obj, "former_ids", []):
                if (path.parent / f"{old}.yml").exists():
                    source = path.parent / f"{old}.yml"
                    break
        existing: dict = {}
        if source.exists():
            doc, found = read_document(source, source.relative_to(root).as_posix())
            tf = None
            if doc is not None:
                tf, found = validate_document(doc, TranslationFile)
            if tf is not None and tf.language != lang:
                found = [Problem(doc.rel, *doc.pos(("language",)), "language", f"this file is in '{tf.language}', not '{lang}'")]
            elif tf is not None and tf.id not in (ident, *getattr(obj, "former_ids", [])):
                found = [Problem(doc.rel, *doc.pos(("id",)), "id", f"this file translates '{tf.id}' but is named for '{ident}' — make them match")]
            if found:
                problems.extend(found)
                continue
            existing = tf.texts
        plans.append((obj, path, ident, schema, existing, source))
    if problems:
        for p in problems:
            print(str(p), file=sys.stderr)
        print(f"Refused: {len(problems)} problem{'s' if len(problems) != 1 else ''} in translation files it cannot read safely. "
              "Nothing was changed: mend the file (the line is named above) and run the command again.", file=sys.stderr)
        return 2

    # 2. Write what changed, each file atomically.
    written = 0
    for obj, path, ident, schema, existing, source in plans:
        texts = i18n.skeleton(obj, lang, existing)
        for key in existing:
            if key not in texts:
                print(f"{source.relative_to(root)}: removed the entry '{key}' (the English has no such text any more)", file=sys.stderr)
        english_file = "content/site.yml" if ident == "site" else toolkit.sources[ident]
        kept = translation_file.comments_of(source.read_text(encoding="utf-8")) if source.exists() else None
        text = translation_file.render(ident, lang, english_file, schema, texts, kept)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        _write_atomically(path, text)
        written += 1
        if source != path:
            source.unlink()  # its words now live in the renamed file
            print(f"moved {source.relative_to(root)} to {path.relative_to(root)} (the English was renamed)", file=sys.stderr)
        else:
            print(f"wrote {path.relative_to(root)}", file=sys.stderr)
    keep = {path for _, path, _, _ in targets} | {base / "glossary.yml"}
    for orphan in sorted(base.rglob("*.yml")) if base.exists() else []:
        if orphan not in keep and orphan.exists():
            print(f"kept {orphan.relative_to(root)}: it matches no English file (renamed without former_ids, or deleted) — "
                  "delete it yourself if its words are no longer needed", file=sys.stderr)
    print(f"{written} of {len(plans)} translation files under {base.relative_to(root)} changed", file=sys.stderr)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder and one
    rename, so the file is never half-written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


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
            # ---- issue #11: PDF problems on their lines in the pull request (GitHub Actions) ----
            from macros import ci_report

            if "result" in pdf_result:
                ci_report.annotate(ci_report.problems_from_messages(root, pdf_result["result"].failed.values()))
            # ---- end issue #11 ----
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
        # ---- issue #11: translation status for translators (site/translation-status.json) ----
        from macros import translation_status

        translation_status.write_json(staging, english)
        # ---- end issue #11 ----
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

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
``cms``
    Write the web editor's configuration, ``admin/config.yml``, generated from the content
    model (:mod:`macros.cms`); run it after every change to :mod:`macros.model`.
``build [--site-dir DIR] [--jobs N] [--generator mkdocs|zensical]``
    The whole build (:mod:`macros.build`): load once, plan, PDFs and site pages in parallel,
    verify, swap into place. A failure leaves the previous site exactly as it was. Exit 0 on
    success, 1 on a build failure, 2 on content problems.
``serve [--lang en|es] [--generator …] [--dev-addr HOST:PORT]``
    Live preview (:mod:`macros.adapters.serve`): an edit shows on the page first; a PDF link
    always gives the PDF of the saved content (it waits for the render, never older paper).
"""
from __future__ import annotations

if __name__ == "__main__":   # Ctrl-C while the command is still importing: no traceback
    from macros import stopping

    stopping.while_starting()

import argparse
import sys
from pathlib import Path

from macros.adapters import GENERATORS
from macros.atomic import write_atomically

ROOT = Path(__file__).resolve().parent.parent


def check(root: Path = ROOT) -> int:
    """Validate the content under ``root``; print the report and the translation status. Under
    GitHub Actions every problem is also a workflow command and in the job summary. Returns
    the exit code (0 or 2). See :func:`macros.build.load_and_report`."""
    from macros.build import load_and_report

    toolkit = load_and_report(root)
    if toolkit is None:
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
    # An activity or resource file may leave out `id:` (the loader takes the file name; the web
    # editor writes new files that way): see macros.loader._id_from_file_name.
    activity = m.Activity.model_json_schema(schema_generator=EditorSchema)
    for schema in [activity, *(defs[name] for name in kinds.values())]:
        schema["required"] = [r for r in schema["required"] if r != "id"]
    return {
        "site.schema.json": finish(m.SiteContent.model_json_schema(schema_generator=EditorSchema), "WBL Toolkit site settings (content/site.yml)"),
        "activity.schema.json": finish(activity, "WBL Toolkit activity (content/activities/<id>.yml)"),
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
    ``former_ids``, which is then removed; an entry whose key the English no longer has moves
    to the entry with the same English, else it is kept if it holds a translation and
    removed if it does not, :func:`_carry_over`), each reported.

    It never destroys work:

    * a translation file it cannot read (YAML error, a tab, not UTF-8, not a mapping, wrong
      ``id``) makes it refuse: it names the file and line, writes **nothing** and returns 2;
      one that is empty or holds only comments is written again (its comments kept at the top);
    * a file it does not recognise (no English file, not a former id) is kept and reported,
      and so is an entry that holds a translation but matches no English text;
    * translators' comments are kept (:mod:`macros.translation_file`);
    * each file is written whole to a temporary file and renamed into place, and only when
      its text changes, so a second run changes nothing.

    Returns the exit code: 0, or 2 when the English content or a translation file has problems.
    """
    from macros import i18n, translation_file
    from macros.loader import ContentError, Problem, TranslationFile, load_toolkit, read_document, validate_document
    from macros.reader.yaml_reader import holds_nothing

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
        if source.exists() and holds_nothing(source.read_bytes()):
            # an empty file (or only comments): written again whole, its comments kept on top
            print(f"{source.relative_to(root)}: the file was empty (or held only comments): "
                  "its entries are written again, with any comments at the top", file=sys.stderr)
        elif source.exists():
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
        kept = translation_file.comments_of(source.read_text(encoding="utf-8-sig")) if source.exists() else None
        for line in _carry_over(texts, existing, lang, kept):
            print(f"{source.relative_to(root)}: {line}", file=sys.stderr)
        english_file = "content/site.yml" if ident == "site" else toolkit.sources[ident]
        text = translation_file.render(ident, lang, english_file, schema, texts, kept)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        write_atomically(path, text)
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


def _carry_over(texts: dict[str, dict[str, str]], existing: dict[str, dict[str, str]], lang: str, comments=None) -> list[str]:
    """Give the translation of every entry of ``existing`` whose key the English no longer has
    (an item's id renamed, a key mistyped by hand) a place in ``texts`` (the new file's
    entries, changed in place), and say what became of each, one line per entry:

    * its words (and the translator's comments above it) go to every entry still without a
      translation whose English is the same as the entry's ``en`` (the same text under its
      new key), unless another such old entry with the same English holds other words: then
      nothing is guessed, and each is kept;
    * otherwise, when it holds a translation, it is **kept** as it is, after the others: only
      a person can tell where its words belong (the check warns about it until then);
    * an entry without a translation is removed, its comments moved to the entry with its
      English, if there is one, else kept at the end of the file under a line naming the
      entry (:data:`macros.translation_file.REMOVED_NOTES`): nothing a translator wrote is lost.

    Each line says where the entry's comments went, when it had any.
    """
    gone = {key: entry for key, entry in existing.items() if key not in texts}
    english = lambda entry: (entry.get("en") or "").strip()   # noqa: E731 - as the stale check compares
    words_for: dict[str, set[str]] = {}
    for entry in gone.values():
        if (entry.get(lang) or "").strip():
            words_for.setdefault(english(entry), set()).add(entry[lang].strip())
    out = []
    placed: dict[str, list[str]] = {}   # English -> the new keys its (one) translation went to
    for key, entry in gone.items():
        words = (entry.get(lang) or "").strip()
        same = [k for k, e in texts.items() if not e[lang].strip() and e["en"].strip() == english(entry)]
        same = same or (placed.get(english(entry), []) if words else [])
        noted = comments is not None and bool(comments.by_key.get(key))
        note = ""
        if noted and same and (not words or len(words_for[english(entry)]) == 1):
            comments.by_key.setdefault(same[0], [])[:0] = comments.by_key.pop(key)
            note = f"; the note written on it is now above '{same[0]}'"
        if not words:
            if noted and not note:
                note = ("; the note written on it is kept at the end of the file, under "
                        "'Notes of removed entries' — delete it there once it is not needed")
            out.append(f"removed the entry '{key}' (the English has no such text any more, and it had no translation){note}")
        elif same and len(words_for[english(entry)]) == 1:
            for k in same:
                texts[k] = {"en": texts[k]["en"], lang: entry[lang]}
            placed[english(entry)] = same
            out.append(f"moved the translation of '{key}' to '{', '.join(same)}' (the same English under a new key){note}")
        else:
            texts[key] = {"en": entry.get("en") or "", lang: entry[lang]}
            why = ("more than one old entry has this English, with different words: copy each one's words to the entry "
                   "where they belong, then delete it") if same else "copy its words to the entry where they belong, then delete it"
            if noted:
                why += " (and the note above it, if it is still wanted)"
            out.append(f"kept the entry '{key}': the English has no such text any more, but it holds a translation — {why}")
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m macros``."""
    parser = argparse.ArgumentParser(prog="python -m macros", description="WBL Toolkit build tasks")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("check", help="validate all content and report every problem")
    sub.add_parser("schemas", help="write the content JSON Schemas to schemas/ and the data dictionary in CONTRIBUTING.md")
    sub.add_parser("cms", help="write the web editor's configuration (admin/config.yml) from the content model")
    t = sub.add_parser("translations", help="create or update the translation files (content/translations/<lang>/)")
    t.add_argument("--lang", default="es")
    b = sub.add_parser("build", help="check, build the site and its PDFs, swap into place")
    b.add_argument("--site-dir", type=Path, default=None, help="where the site goes (default: site/)")
    b.add_argument("--jobs", "-j", type=int, default=None, help="PDF worker processes (default: one per core)")
    b.add_argument("--generator", choices=GENERATORS, default="mkdocs", help="site generator (default: mkdocs)")
    v = sub.add_parser("serve", help="live preview: pages reload on every save, PDFs follow")
    v.add_argument("--lang", default="en", help="the edition to preview (default: en)")
    v.add_argument("--generator", choices=GENERATORS, default="mkdocs")
    v.add_argument("--dev-addr", default="127.0.0.1:8000")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check()
    if args.command == "schemas":
        return write_schemas()
    if args.command == "cms":
        from macros import cms

        return cms.write_config()
    if args.command == "translations":
        return write_translations(lang=args.lang)
    if args.command == "serve":
        from macros.adapters.serve import serve

        return serve(ROOT, lang=args.lang, generator=args.generator, address=args.dev_addr)
    from macros.build import build

    return build(ROOT, site_dir=args.site_dir, jobs=args.jobs, generator=args.generator)


if __name__ == "__main__":
    stopping.started()
    try:
        sys.exit(main())
    except KeyboardInterrupt:   # Ctrl-C where a command has nothing more to say about it
        print("\nStopped.", file=sys.stderr)
        sys.exit(130)

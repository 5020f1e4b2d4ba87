"""English always publishes (issue #11), on the small fixture project
``tests/fixtures/i18n-fallback`` (one activity, one checklist, a complete Spanish translation
whose Spanish texts start with "[es] "): a missing Spanish text is shown in English marked
``lang="en"`` with a notice, on the page and in the PDF; the translations command never
destroys work; problems reach GitHub Actions as workflow commands; the translation status is
reported and published."""
from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import lxml.html
import pikepdf
import pypdf
import pytest

from conftest import ROOT, copy_project
from macros import i18n, render, translation_status, urls
from macros.loader import ContentError, load_toolkit, read_document

FIXTURE = ROOT / "tests" / "fixtures" / "i18n-fallback" / "content"
RESOURCE = "content/resources/sample-checklist.yml"
TRANSLATION = "content/translations/es/resources/sample-checklist.yml"


def fixture_project(dest: Path) -> Path:
    """The project's code with the fixture's content in place of the shipped content."""
    root = copy_project(dest)
    shutil.rmtree(root / "content")
    shutil.copytree(FIXTURE, root / "content")
    return root


def run(root: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """``python -m macros <args>`` in ``root``, exactly as an editor runs it (no helpers)."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "TOOLKIT_CI_"))}
    full.update(NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=root, env=full, capture_output=True, text=True, timeout=600)


def english_of(root: Path, rel: str) -> dict:
    doc, problems = read_document(root / rel, rel)
    assert doc is not None, problems
    return doc.data


def drop_entry(root: Path, rel: str, key: str) -> None:
    """Remove the entry ``key`` (its line and the en:/es: lines under it) from a translation file."""
    path = root / rel
    lines = path.read_text(encoding="utf-8").splitlines()
    i = lines.index(f"  {key}:")
    path.write_text("\n".join(lines[:i] + lines[i + 3:]) + "\n", encoding="utf-8")


def add_item(root: Path, item_id: str, text: str) -> None:
    """An English-only edit: a new checklist item at the end of the first phase."""
    path = root / RESOURCE
    lines = path.read_text(encoding="utf-8").splitlines()
    data = english_of(root, RESOURCE)
    last_id = data["phases"][0]["items"][-1]["id"]
    i = next(n for n, line in enumerate(lines) if line.strip() == f"- id: {last_id}")
    lines[i + 2:i + 2] = [f"      - id: {item_id}", f'        text: "{text}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# ------------------------------------------------------------------------------------------
# One real build of the fixture with a missing Spanish text and a new English-only item
# ------------------------------------------------------------------------------------------

NEW_ITEM = "Leave the visit place as tidy as you found it."


@pytest.fixture(scope="module")
def fallback_build(tmp_path_factory):
    root = fixture_project(tmp_path_factory.mktemp("fallback") / "project")
    data = english_of(root, RESOURCE)
    blank = data["phases"][0]["items"][0]  # its Spanish entry removed
    drop_entry(root, TRANSLATION, f"phases.before.items.{blank['id']}.text")
    add_item(root, "tidy-up", NEW_ITEM)  # English only: no Spanish entry at all
    proc = run(root, "build", "--site-dir", str(root / "site"), "--jobs", "1")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root, proc, blank["text"]


def test_build_warns_naming_file_and_key(fallback_build):
    root, proc, _ = fallback_build
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:")]
    assert any(RESOURCE in w and "phases.before.items.tidy-up.text" in w for w in warnings), proc.stderr
    assert any(RESOURCE in w and "phases.before.items.plan-route.text" in w for w in warnings), proc.stderr


def test_spanish_page_shows_english_marked_lang_en_with_a_notice(fallback_build):
    root, _, blanked = fallback_build
    page = lxml.html.parse(str(root / "site/es/resources/sample-checklist/index.html")).getroot()
    assert page.get("lang") == "es"
    marked = {" ".join(el.text_content().split()) for el in page.cssselect('[lang="en"]')}
    assert NEW_ITEM in marked and blanked in marked
    # the smallest element: the English words only, nothing translated inside it
    assert not any("[es]" in text for text in marked)
    notice = page.cssselect(".tk-fallback-notice")
    assert len(notice) == 1 and i18n.UI["es"]["fallback_heading"] in notice[0].text_content()
    # translated texts are not marked
    assert any("[es]" in el.text_content() for el in page.cssselect("label"))
    english = (root / "site/resources/sample-checklist/index.html").read_text(encoding="utf-8")
    assert NEW_ITEM in english and "tk-fallback" not in english


def test_fully_translated_spanish_page_has_no_notice(fallback_build):
    root, _, _ = fallback_build
    page = (root / "site/es/continuum/index.html").read_text(encoding="utf-8")
    assert "tk-fallback" not in page


def _lang_tagged_texts(pdf: pikepdf.Pdf) -> list[str]:
    """Struct elements with /Lang en: the text of the marked content they hold."""
    found = []
    stack = [pdf.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(node)
        elif isinstance(node, pikepdf.Dictionary):
            if str(node.get("/Lang", "")) == "en":
                found.append(node)
            if "/K" in node:
                stack.append(node.K)
    return found


def test_spanish_pdf_shows_english_tagged_lang_en_with_a_notice(fallback_build):
    root, _, blanked = fallback_build
    path = root / "site/es/resources/sample-checklist/sample-checklist.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        tagged = _lang_tagged_texts(pdf)
        assert len(tagged) == 2 and all(str(t.S) == "/Span" for t in tagged)
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(path).pages)
    assert NEW_ITEM in text and blanked in text
    assert i18n.UI["es"]["fallback_heading"] in text
    # the packet keeps the resource's English parts, tagged, and the notice
    [activity] = [p.stem for p in (root / "content/activities").glob("*.yml")]
    packet = root / "site/es" / urls.activity_packet(activity)
    with pikepdf.open(packet) as pdf:
        assert len(_lang_tagged_texts(pdf)) >= 2
    packet_text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(packet).pages)
    assert NEW_ITEM in packet_text and i18n.UI["es"]["fallback_heading"] in packet_text


def test_status_json_is_published_and_valid(fallback_build):
    root, _, _ = fallback_build
    data = json.loads((root / "site" / translation_status.STATUS_FILE).read_text(encoding="utf-8"))
    schema = json.loads((ROOT / "schemas/translation-status.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)
    [row] = [f for f in data["languages"]["es"]["files"] if f["id"] == "sample-checklist"]
    assert (row["missing"], row["stale"], row["unknown"]) == (2, 0, 0)
    assert row["translated"] == row["total"] - 2 and row["source"] == RESOURCE


# ------------------------------------------------------------------------------------------
# The model layer, without a build
# ------------------------------------------------------------------------------------------


def test_a_whole_missing_translation_file_falls_back_entirely(tmp_path):
    root = fixture_project(tmp_path / "p")
    (root / TRANSLATION).unlink()
    toolkit = load_toolkit(root)
    es = toolkit.edition("es").resources["sample-checklist"]
    assert all(isinstance(s.text, i18n.Fallback) for s in i18n.slots(es))
    assert any(w.file == RESOURCE and TRANSLATION in w.message for w in toolkit.warnings)
    html = render.Renderer(toolkit.edition("es"), "https://x.example/es/").resource_page("sample-checklist")
    assert html.count('tk-fallback-notice') == 1
    assert f'<h1 id="sample-checklist"><span class="tk-fallback" lang="en">{es.title}</span></h1>' in html


def test_an_unknown_entry_warns_and_the_command_keeps_its_words(tmp_path):
    """An entry whose key the English no longer has is not used (a warning); the translations
    command keeps it when it holds a translation (only a person can tell where the words
    belong) and removes it when it holds none."""
    root = fixture_project(tmp_path / "p")
    path = root / TRANSLATION
    path.write_text(path.read_text(encoding="utf-8")
                    + '  phases.before.items.gone.text:\n    en: "Old words."\n    es: "[es] Old words."\n'
                    + '  phases.before.items.empty.text:\n    en: "Never translated."\n    es: ""\n', encoding="utf-8")
    toolkit = load_toolkit(root)  # a warning, not an error
    [warning] = [w for w in toolkit.warnings if "phases.before.items.gone.text" in w.field]
    assert warning.file == TRANSLATION and warning.line > 1
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    assert "kept the entry 'phases.before.items.gone.text'" in proc.stderr
    assert "removed the entry 'phases.before.items.empty.text'" in proc.stderr
    text = path.read_text(encoding="utf-8")
    assert '"[es] Old words."' in text and "empty.text" not in text
    assert "[es] Plan the route" in text  # translations kept
    assert run(root, "translations").stderr.count("kept the entry") == 1   # still there, still said


@pytest.mark.parametrize("how", ["the English renames the id", "a translator mistypes the key"])
def test_a_translation_follows_its_text_to_a_new_key(tmp_path, how):
    """When a text's key changes but its English does not (an item's id renamed in the English
    file, or a key mistyped in the translation file), the translations command moves the
    Spanish to the key the English now has, with the translator's comment: nothing to
    translate again, and the Spanish edition shows it."""
    root = fixture_project(tmp_path / "p")
    data = english_of(root, RESOURCE)
    item = data["phases"][0]["items"][0]
    old_key, new_key = f"phases.before.items.{item['id']}.text", f"phases.before.items.{item['id']}-renamed.text"
    path = root / TRANSLATION
    lines = path.read_text(encoding="utf-8").splitlines()
    i = lines.index(f"  {old_key}:")
    spanish = json.loads(lines[i + 2].split("es: ", 1)[1])
    lines.insert(i, "  # a translator's note")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if how == "the English renames the id":
        english = root / RESOURCE
        english.write_text(english.read_text(encoding="utf-8").replace(f"- id: {item['id']}\n", f"- id: {item['id']}-renamed\n", 1), encoding="utf-8")
        new_key_in_file = new_key
    else:
        path.write_text(path.read_text(encoding="utf-8").replace(f"  {old_key}:", f"  {old_key}x:", 1), encoding="utf-8")
        old_key, new_key_in_file = old_key + "x", old_key
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    assert f"moved the translation of '{old_key}' to '{new_key_in_file}'" in proc.stderr
    entries = {k: v for k, v in read_document(path, TRANSLATION)[0].data["texts"].items()}
    assert old_key not in entries and entries[new_key_in_file] == {"en": item["text"], "es": spanish}
    text = path.read_text(encoding="utf-8")
    assert text.index("# a translator's note") < text.index(f"  {new_key_in_file}:")
    toolkit = load_toolkit(root)
    assert not [w for w in toolkit.warnings if w.file == TRANSLATION or new_key_in_file in w.message], toolkit.warnings
    es = toolkit.edition("es").resources["sample-checklist"]
    assert es.phases[0].items[0].text == spanish


def test_translations_are_not_guessed_between_old_entries_with_the_same_english(tmp_path):
    """Two items with the same English and different Spanish, both renamed: which Spanish
    belongs to which new id cannot be told, so neither is filled in and both old entries are
    kept (said once each); nothing a translator wrote is lost or put on the wrong text."""
    root = fixture_project(tmp_path / "p")
    english, path = root / RESOURCE, root / TRANSLATION
    same = "Say thank you."
    english.write_text(english.read_text(encoding="utf-8").replace('"Pack a bag with water."', f'"{same}"')
                       .replace('"Thank the host in writing."', f'"{same}"'), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8")
                    .replace('en: "Pack a bag with water."\n    es: "[es] Pack a bag with water."', f'en: "{same}"\n    es: "[es] Say it in person."')
                    .replace('en: "Thank the host in writing."\n    es: "[es] Thank the host in writing."', f'en: "{same}"\n    es: "[es] Write a note."'),
                    encoding="utf-8")
    assert not [w for w in load_toolkit(root).warnings if w.file == TRANSLATION]
    english.write_text(english.read_text(encoding="utf-8").replace("- id: pack-bag", "- id: thank-in-person")
                       .replace("- id: thank-host", "- id: thank-by-note"), encoding="utf-8")
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    entries = read_document(path, TRANSLATION)[0].data["texts"]
    assert entries["phases.before.items.thank-in-person.text"]["es"] == entries["phases.after.items.thank-by-note.text"]["es"] == ""
    assert entries["phases.before.items.pack-bag.text"]["es"] == "[es] Say it in person."
    assert entries["phases.after.items.thank-host.text"]["es"] == "[es] Write a note."
    assert proc.stderr.count("kept the entry") == 2


def test_the_command_keeps_an_entry_that_has_only_its_translation_and_moves_a_note_above_an_empty_one(tmp_path):
    """A hand-edited entry with no 'en:' line is kept (with an empty 'en:'), not a crash; the
    note above an entry with no translation yet goes with its text to the text's new key."""
    root = fixture_project(tmp_path / "p")
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8")
    text = text.replace('  phases.before.items.plan-route.text:\n    en: "Plan the route to the visit."\n',
                        '  phases.before.items.plan-route.txt:\n')
    text = text.replace('  phases.before.items.pack-bag.text:\n    en: "Pack a bag with water."\n    es: "[es] Pack a bag with water."',
                        '  # a note for whoever translates this\n  phases.before.items.pack-bag.text:\n    en: "Pack a bag with water."\n    es: ""')
    path.write_text(text, encoding="utf-8")
    english = root / RESOURCE
    english.write_text(english.read_text(encoding="utf-8").replace("- id: pack-bag", "- id: pack-a-bag"), encoding="utf-8")
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    entries = read_document(path, TRANSLATION)[0].data["texts"]
    assert entries["phases.before.items.plan-route.txt"] == {"en": "", "es": "[es] Plan the route to the visit."}
    written = path.read_text(encoding="utf-8")
    assert written.index("# a note for whoever translates this") < written.index("  phases.before.items.pack-a-bag.text:")
    assert run(root, "translations").returncode == 0 and path.read_text(encoding="utf-8") == written   # a second run changes nothing


def test_an_empty_entry_is_reported_where_its_translation_goes(tmp_path):
    """After the translations command added an entry for a new English text, the warning
    points at that entry's empty 'es:' line in the translation file (where the translator
    types) and says where the English is; before, at the English line, asking for the command."""
    root = fixture_project(tmp_path / "p")
    add_item(root, "tidy-up", NEW_ITEM)
    key = "phases.before.items.tidy-up.text"
    [before] = [w for w in load_toolkit(root).warnings if key in w.message]
    assert before.file == RESOURCE and "python -m macros translations" in before.message
    assert run(root, "translations").returncode == 0
    [after] = [w for w in load_toolkit(root).warnings if w.field == f"texts.{key}.es"]
    lines = (root / TRANSLATION).read_text(encoding="utf-8").splitlines()
    assert (after.file, lines[after.line - 1].strip()) == (TRANSLATION, 'es: ""')
    assert f"{RESOURCE}:{before.line}" in after.message and "python -m macros translations" not in after.message


def remove_item(root: Path, item_id: str) -> None:
    """An English-only edit: the checklist item ``item_id`` (its '- id:' and 'text:' lines) removed."""
    path = root / RESOURCE
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == f"- id: {item_id}")
    path.write_text("\n".join(lines[:i] + lines[i + 2:]) + "\n", encoding="utf-8")


def test_the_note_of_a_removed_entry_is_kept_and_said(tmp_path):
    """An entry whose English is gone is removed when it has no translation, but the note a
    translator wrote on it is kept (at the end of the file, naming the entry) and the command
    says where; an entry with a translation is kept with its note above it, and the command
    says so too. A second run changes nothing."""
    root = fixture_project(tmp_path / "p")
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8")
    text = text.replace('  phases.before.items.pack-bag.text:\n    en: "Pack a bag with water."\n    es: "[es] Pack a bag with water."',
                        '  # NOTE-EMPTY ask Ana about this one\n  phases.before.items.pack-bag.text:\n    en: "Pack a bag with water."\n    es: ""')
    text = text.replace("  phases.after.items.thank-host.text:", "  # NOTE-KEPT formal wording\n  phases.after.items.thank-host.text:")
    path.write_text(text, encoding="utf-8")
    remove_item(root, "pack-bag")
    english = root / RESOURCE
    english.write_text(english.read_text(encoding="utf-8").replace(
        '- id: thank-host\n        text: "Thank the host in writing."', '- id: send-card\n        text: "Send a card."'), encoding="utf-8")
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    [removed] = [line for line in proc.stderr.splitlines() if "removed the entry 'phases.before.items.pack-bag.text'" in line]
    assert "note" in removed and "kept at the end of the file" in removed
    [kept] = [line for line in proc.stderr.splitlines() if "kept the entry 'phases.after.items.thank-host.text'" in line]
    assert "note" in kept
    written = path.read_text(encoding="utf-8")
    assert "pack-bag.text:" not in written   # the entry is gone ...
    heading = written.index("# Notes of removed entries")
    assert heading > written.index("  phases.before.items.plan-route.text:")   # ... its note is at the end, named
    assert heading < written.index("'phases.before.items.pack-bag.text'") < written.index("# NOTE-EMPTY ask Ana about this one")
    assert written.index("# NOTE-KEPT formal wording") < written.index("  phases.after.items.thank-host.text:") < heading
    assert read_document(path, TRANSLATION)[1] == []   # still a file the check reads
    again = run(root, "translations")
    assert again.returncode == 0 and path.read_text(encoding="utf-8") == written


def test_a_note_between_en_and_es_stays_with_its_entry(tmp_path):
    """A note written inside an entry (between its 'en:' and 'es:' lines, or at the end of its
    key line) stays with that entry when the command rewrites the file: above it, not above the
    next entry."""
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")   # so the command rewrites the file
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8")
    text = text.replace('    en: "Plan the route to the visit."\n', '    en: "Plan the route to the visit."\n    # NOTE-INSIDE about the route\n', 1)
    text = text.replace("  phases.after.title:\n", "  phases.after.title:  # NOTE-KEY about the title\n", 1)
    path.write_text(text, encoding="utf-8")
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    written = path.read_text(encoding="utf-8")
    assert written.index("  phases.before.items.plan-route.text:") - written.index("# NOTE-INSIDE about the route") == len("# NOTE-INSIDE about the route\n")
    assert written.index("  phases.after.title:") - written.index("# NOTE-KEY about the title") == len("# NOTE-KEY about the title\n")
    assert written.count("NOTE-INSIDE") == written.count("NOTE-KEY") == 1
    assert read_document(path, TRANSLATION)[0].data["texts"]["phases.after.title"]["es"] == "[es] After the visit"
    assert run(root, "translations").returncode == 0 and path.read_text(encoding="utf-8") == written


def test_a_line_separator_inside_a_translation_does_not_cut_its_line(tmp_path):
    """A Spanish text with a Unicode line separator in it (U+2028, pasted from Word or a PDF)
    is one line of the file: the note at its end is kept, and the words after the separator
    are not taken for a note."""
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")   # so the command rewrites the file
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8").replace(
        'es: "[es] Plan the route to the visit."', 'es: "[es] Plan the route\u2028# 2 to the visit."  # NOTE-END check the route', 1)
    path.write_text(text, encoding="utf-8")
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    written = path.read_text(encoding="utf-8")
    assert written.count("# NOTE-END check the route") == 1
    assert written.index("# NOTE-END check the route") < written.index("  phases.before.items.plan-route.text:")
    assert "\n  # 2 to the visit" not in written
    assert read_document(path, TRANSLATION)[0].data["texts"]["phases.before.items.plan-route.text"]["es"] == "[es] Plan the route\u2028# 2 to the visit."


@pytest.mark.parametrize("breakage", ["tab", "latin1", "not-a-mapping", "texts-a-list"])
def test_translations_command_refuses_a_file_it_cannot_read(tmp_path, breakage):
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")  # so the command would want to write
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8")
    if breakage == "tab":
        broken = text.replace("\n    es: ", "\n\tes: ", 1).encode("utf-8")
    elif breakage == "latin1":
        broken = text.replace("[es] Plan", "[es] Planificá").encode("latin-1", errors="replace")
    elif breakage == "not-a-mapping":
        broken = b"- just\n- a list\n"
    else:
        broken = text.split("texts:")[0].encode("utf-8") + b"texts:\n  - one\n"
    path.write_bytes(broken)
    others = {p: p.read_bytes() for p in (root / "content/translations").rglob("*.yml")}
    proc = run(root, "translations")
    assert proc.returncode == 2, proc.stderr
    assert f"{TRANSLATION}:" in proc.stderr and "Nothing was changed" in proc.stderr
    assert path.read_bytes() == broken
    assert {p: p.read_bytes() for p in (root / "content/translations").rglob("*.yml")} == others


def test_a_control_character_in_a_translation_is_named_at_its_line(tmp_path):
    """A vertical tab (Word's Shift+Enter) in a Spanish text: the check and the translations
    command both name its line, column and entry, and say what it is; nothing is written."""
    root = fixture_project(tmp_path / "p")
    path = root / TRANSLATION
    broken = path.read_text(encoding="utf-8").replace('es: "[es] Plan the route', 'es: "[es] Plan\x0bthe route', 1)
    path.write_text(broken, encoding="utf-8")
    line = next(n for n, text in enumerate(broken.split("\n"), 1) if "\x0b" in text)
    col = broken.split("\n")[line - 1].index("\x0b") + 1
    where = f"{TRANSLATION}:{line}:{col}: texts.phases.before.items.plan-route.text.es: an invisible control character is here (vertical tab, U+000B"
    with pytest.raises(ContentError) as exc:
        load_toolkit(root)
    assert where in exc.value.report() and "tab character" not in exc.value.report()
    proc = run(root, "translations")
    assert proc.returncode == 2 and where in proc.stderr and "delete it or retype the text around it" in proc.stderr
    assert path.read_text(encoding="utf-8") == broken


@pytest.mark.parametrize("body", ["", "\n\n", "\ufeff# NOTE-ONLY ask the district first\n\n  # NOTE-TWO and this\n"])
def test_an_empty_translation_file_is_written_again_with_its_comments(tmp_path, body):
    """A translation file that is empty or holds only comments does not stop the English:
    the content loads, the edition shows that file's texts in English, and a warning says
    to run the translations command (not the English file's template advice), which writes
    its entries again, keeping the comments, and says so."""
    root = fixture_project(tmp_path / "p")
    path = root / TRANSLATION
    path.write_text(body, encoding="utf-8")
    toolkit = load_toolkit(root)
    [message] = [str(w) for w in toolkit.warnings if w.file == TRANSLATION]
    assert message.startswith(f"{TRANSLATION}:1:1: the translation file is empty (or holds only comments)")
    assert "python -m macros translations" in message and "template" not in message
    edition = toolkit.edition("es")
    rid = read_document(root / RESOURCE, RESOURCE)[0].data["id"]
    assert edition.resources[rid].title == toolkit.resources[rid].title   # shown in English
    proc = run(root, "translations")
    assert proc.returncode == 0, proc.stderr
    assert f"{TRANSLATION}: the file was empty" in proc.stderr
    written = path.read_text(encoding="utf-8")
    entries = read_document(path, TRANSLATION)[0].data["texts"]
    assert entries["phases.before.items.plan-route.text"] == {"en": "Plan the route to the visit.", "es": ""}
    for note in ("# NOTE-ONLY ask the district first", "# NOTE-TWO and this"):
        assert (note in written) == (note in body)
    load_toolkit(root)   # loads: the entries are there, untranslated (warnings only)


def test_translations_command_is_idempotent_and_keeps_unknown_files(tmp_path):
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")
    orphan = root / "content/translations/es/resources/no-such-resource.yml"
    orphan.write_text("language: es\nid: no-such-resource\ntexts: {}\n", encoding="utf-8")
    path = root / TRANSLATION
    text = path.read_text(encoding="utf-8").replace("language: es", "# NOTE-TOP keep this\nlanguage: es", 1)
    text = text.replace("  phases.after.title:", "  # NOTE-ABOVE ask the district\n  phases.after.title:", 1)
    text = text.replace('es: "[es] Thank the host in writing."', 'es: "[es] Thank the host in writing."  # NOTE-INLINE formal', 1)
    path.write_text(text, encoding="utf-8")
    first = run(root, "translations")
    assert first.returncode == 0, first.stderr
    assert "no-such-resource.yml" in first.stderr and orphan.exists()
    snapshot = {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()}
    assert b"phases.before.items.new-one.text" in snapshot[root / TRANSLATION]
    written = snapshot[root / TRANSLATION].decode("utf-8")
    for note in ("# NOTE-TOP keep this", "# NOTE-ABOVE ask the district\n  phases.after.title:", "# NOTE-INLINE formal"):
        assert note in written
    second = run(root, "translations")
    assert second.returncode == 0
    assert {p: p.read_bytes() for p in (root / "content").rglob("*") if p.is_file()} == snapshot
    assert not list((root / "content/translations").rglob("*.tmp"))


# ------------------------------------------------------------------------------------------
# GitHub Actions: workflow commands and the job summary
# ------------------------------------------------------------------------------------------


def test_check_under_github_actions_prints_errors_on_their_lines(tmp_path):
    root = fixture_project(tmp_path / "p")
    path = root / RESOURCE
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[i] = lines[i].replace("title:", "titel:")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    proc = run(root, "check", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 2
    commands = [line for line in proc.stdout.splitlines() if line.startswith("::error ")]
    assert f"::error file={RESOURCE},line={i + 1},col=1,title=titel::" in "\n".join(commands)
    # the missing 'title' is reported at the misspelt key's line, not at the first line
    assert any(c.startswith(f"::error file={RESOURCE},line={i + 1},col=1,title=title::") and "did you mean" in c for c in commands)
    table = summary.read_text(encoding="utf-8")
    assert "| File | Line | Field | Problem |" in table and f"`{RESOURCE}` | {i + 1} |" in table
    # outside GitHub Actions: no workflow commands
    assert "::error" not in run(root, "check").stdout


def test_warnings_become_workflow_warnings_and_the_summary_gets_the_status(tmp_path):
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")
    summary = tmp_path / "summary.md"
    proc = run(root, "check", env={"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    assert proc.returncode == 0, proc.stderr
    assert any(line.startswith(f"::warning file={RESOURCE},line=") for line in proc.stdout.splitlines())
    text = summary.read_text(encoding="utf-8")
    assert "Translation status" in text and f"`{RESOURCE}` | " in text


def test_a_later_step_of_the_same_job_does_not_report_again(tmp_path):
    root = fixture_project(tmp_path / "p")
    add_item(root, "new-one", "A new English item.")
    summary, github_env = tmp_path / "summary.md", tmp_path / "env"
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_ENV": str(github_env)}
    first = run(root, "check", env=env)
    assert "::warning" in first.stdout
    name, _, value = github_env.read_text(encoding="utf-8").strip().partition("=")
    size = summary.stat().st_size
    second = run(root, "check", env={**env, name: value})  # what GitHub passes to the next step
    assert second.returncode == 0 and "::warning" not in second.stdout
    assert summary.stat().st_size == size


def test_pdf_stage_messages_find_their_line(tmp_path):
    from macros.ci_report import problems_from_messages

    root = fixture_project(tmp_path / "p")
    line = next(n for n, text in enumerate((root / RESOURCE).read_text(encoding="utf-8").splitlines(), 1) if text.startswith("max_pages:"))
    [budget, other] = problems_from_messages(root, [f"{RESOURCE}: max_pages: prints on 3 pages", f"{RESOURCE}: RenderProblem: x", "no file named"])
    assert (budget.file, budget.line, budget.field) == (RESOURCE, line, "max_pages")
    assert (other.field, other.message) == ("", "RenderProblem: x")
    [placed] = problems_from_messages(root, [f"{RESOURCE}:7:3: max_pages: prints on 3 pages"])   # as the PDF stage writes it
    assert (placed.file, placed.line, placed.column, placed.field, placed.message) == (RESOURCE, 7, 3, "max_pages", "prints on 3 pages")


def test_workflow_command_escaping():
    from macros.ci_report import command, escape_data, escape_property
    from macros.loader import Problem

    assert escape_data("50%\r\nnext") == "50%25%0D%0Anext"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = command(Problem("content/x, y.yml", 3, 2, "phases[0].items[1].text", "bad: 100%\nsee"), "warning")
    assert line == "::warning file=content/x%2C y.yml,line=3,col=2,title=phases[0].items[1].text::bad: 100%25%0Asee"


# ------------------------------------------------------------------------------------------
# Defects: future dates, Spanish words on activity, redirect and form pages
# ------------------------------------------------------------------------------------------


def _set_revised(root: Path, value: str) -> None:
    path = root / RESOURCE
    lines = [f'revised: "{value}"' if line.startswith("revised:") else line for line in path.read_text(encoding="utf-8").splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_revised_date_in_the_future_is_refused_today_is_accepted(tmp_path):
    root = fixture_project(tmp_path / "p")
    _set_revised(root, (dt.date.today() + dt.timedelta(days=3)).isoformat())
    with pytest.raises(ContentError) as info:
        load_toolkit(root)
    assert f"{RESOURCE}:" in info.value.report() and "revised: the date" in info.value.report() and "future" in info.value.report()
    _set_revised(root, dt.date.today().isoformat())
    load_toolkit(root)


def test_spanish_activity_redirect_and_date_words(tmp_path):
    root = fixture_project(tmp_path / "p")
    path = root / RESOURCE
    path.write_text(path.read_text(encoding="utf-8").replace("kind: checklist", "kind: checklist\nformer_ids: [old-checklist]"), encoding="utf-8")
    es = load_toolkit(root).edition("es")
    renderer = render.Renderer(es, "https://x.example/es/")
    activity = renderer.activity_page("sample-visit")
    assert f'{i18n.UI["es"]["revised"]} <time' in activity and f'{i18n.UI["en"]["revised"]} <time' not in activity
    from macros import redirects

    (moved, also), = redirects.redirect_pages(es).values()
    page = renderer.redirect_page(moved, also)
    assert '<html lang="es">' in page and i18n.UI["es"]["moved_heading"] in page
    assert i18n.UI["en"]["moved_heading"] not in page
    from macros import model as m

    form = m.Worksheet.model_validate({
        "id": "w", "title": "W", "kind": "worksheet", "audiences": ["student"], "summary": "S.", "revised": "2026-01-01",
        "max_pages": 1, "parts": [{"id": "p", "title": "P", "fields": [{"id": "when", "label": "When", "type": "date"}]}]})
    html = renderer.resource_body(form, renderer.web_context("resources/w/"))
    assert f'placeholder="{i18n.UI["es"]["date_placeholder"]}"' in html and "MM/DD/YYYY" not in html

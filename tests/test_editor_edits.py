"""A correct edit always publishes: ordinary English-only edits of every kind, made to a copy of
the shipped content without touching the Spanish, pass ``python -m macros check`` (warnings
allowed) and ``python -m macros build``, and the pages and PDFs show them.

The edits are found by reading the content (the first activity, the first checklist and its
first item, the first tip sheet …), never by matching shipped words, so the test keeps working
whatever the editors write."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pypdf
import pytest
import yaml

from conftest import ROOT, copy_project
from macros import i18n, urls
from macros.loader import read_document

NEW_ITEM = "Bring a printed copy of the visit plan and a spare pen."
REWORDED = "Choose one career that interests you and note two questions about it."
NEW_TIP_TITLE = "Questions Hosts Like to Hear"
NEW_CHECKLIST_ID = "editor-added-checklist"
NEW_CHECKLIST_TITLE = "Checklist Added by an Editor"
NEW_CHECKLIST_ITEM = "Confirm the time and place with the host by phone."


def _read(root: Path, rel: str):
    doc, problems = read_document(root / rel, rel)
    assert doc is not None, problems
    return doc.data


def _write(root: Path, rel: str, data) -> None:
    """Write a content file as an editor's tool might: every value quoted (the loader reads all
    values as text anyway)."""
    text = yaml.safe_dump(data, default_style='"', allow_unicode=True, sort_keys=False, width=1000)
    (root / rel).write_text(text, encoding="utf-8")


def _first(root: Path, kind: str) -> str:
    for path in sorted((root / "content/resources").glob("*.yml")):
        rel = path.relative_to(root).as_posix()
        if _read(root, rel).get("kind") == kind:
            return rel
    pytest.skip(f"the shipped content has no {kind}")


def _text(pdf: Path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in pypdf.PdfReader(pdf).pages)


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    """The shipped project with six English-only edits, checked and built."""
    root = copy_project(tmp_path_factory.mktemp("edits") / "project")
    if (ROOT / ".cache" / "pdf").is_dir():  # unchanged PDFs come from the cache, as in a real build
        shutil.copytree(ROOT / ".cache" / "pdf", root / ".cache" / "pdf")
    edits: dict = {}

    # 1. a new revision date (today) on the first activity
    activity_rel = sorted(p.relative_to(root).as_posix() for p in (root / "content/activities").glob("*.yml"))[0]
    activity = _read(root, activity_rel)
    activity["revised"] = dt.date.today().isoformat()

    # 2-4. the first checklist: its first item reworded, an item added, its last item removed
    checklist_rel = _first(root, "checklist")
    checklist = _read(root, checklist_rel)
    phases = checklist["phases"]
    phases[0]["items"][0]["text"] = REWORDED
    phases[0]["items"].append({"id": "editor-new-item", "text": NEW_ITEM})
    donor = next(p for p in reversed(phases) if len(p["items"]) > 1)
    edits["removed"] = donor["items"].pop()
    checklist["revised"] = dt.date.today().isoformat()
    _write(root, checklist_rel, checklist)
    edits["checklist"] = checklist["id"]

    # 5. a new title for the first tip sheet
    tips_rel = _first(root, "tip-sheet")
    tips = _read(root, tips_rel)
    tips["title"] = NEW_TIP_TITLE
    _write(root, tips_rel, tips)
    edits["tips"] = tips["id"]

    # 6. a new checklist, listed by the activity
    audience = _read(root, "content/site.yml")["audiences"][0]["id"]
    _write(root, f"content/resources/{NEW_CHECKLIST_ID}.yml", {
        "id": NEW_CHECKLIST_ID, "title": NEW_CHECKLIST_TITLE, "kind": "checklist", "audiences": [audience],
        "summary": "What to do before a visit.", "revised": dt.date.today().isoformat(), "max_pages": "1",
        "phases": [{"id": "before", "title": "Before", "items": [{"id": "confirm", "text": NEW_CHECKLIST_ITEM}]}],
    })
    activity["tools"][0]["resources"].append(NEW_CHECKLIST_ID)
    _write(root, activity_rel, activity)
    edits["activity"] = activity["id"]

    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    untouched = {p: p.read_bytes() for p in (root / "content/translations").rglob("*") if p.is_file()}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "macros", *args], cwd=root, env=env, capture_output=True, text=True, timeout=900)

    check = run("check")
    build = run("build", "--site-dir", str(root / "site"))
    assert {p: p.read_bytes() for p in (root / "content/translations").rglob("*") if p.is_file()} == untouched
    return root, edits, check, build


def test_check_passes_with_warnings(edited):
    _, _, check, _ = edited
    assert check.returncode == 0, check.stderr
    assert "warning:" in check.stderr and "Translation status (es)" in check.stderr


def test_build_passes(edited):
    _, _, _, build = edited
    assert build.returncode == 0, build.stdout + build.stderr


def test_english_page_and_pdf_show_the_checklist_edits(edited):
    root, edits, _, build = edited
    assert build.returncode == 0
    rid = edits["checklist"]
    page = " ".join(lxml.html.parse(str(root / "site" / urls.resource_page(rid) / "index.html")).getroot().text_content().split())
    pdf = _text(root / "site" / urls.resource_pdf(rid))
    for text in (NEW_ITEM, REWORDED):
        assert text in page and text in pdf
    removed = " ".join(edits["removed"]["text"].split())
    assert removed not in page


def test_new_tip_sheet_title_and_activity_date(edited):
    root, edits, _, build = edited
    assert build.returncode == 0
    page = (root / "site" / urls.resource_page(edits["tips"]) / "index.html").read_text(encoding="utf-8")
    assert NEW_TIP_TITLE in page and NEW_TIP_TITLE in _text(root / "site" / urls.resource_pdf(edits["tips"]))
    activity = (root / "site" / urls.activity_page(edits["activity"]) / "index.html").read_text(encoding="utf-8")
    assert i18n.long_date(dt.date.today()) in activity


def test_new_checklist_published_in_both_languages(edited):
    root, _, _, build = edited
    assert build.returncode == 0
    english = root / "site" / urls.resource_page(NEW_CHECKLIST_ID) / "index.html"
    assert NEW_CHECKLIST_ITEM in english.read_text(encoding="utf-8")
    assert NEW_CHECKLIST_ITEM in _text(root / "site" / urls.resource_pdf(NEW_CHECKLIST_ID))
    spanish = lxml.html.parse(str(root / "site/es" / urls.resource_page(NEW_CHECKLIST_ID) / "index.html")).getroot()
    assert spanish.get("lang") == "es"
    marked = [" ".join(el.text_content().split()) for el in spanish.cssselect('.tk-resource [lang="en"]')]
    assert NEW_CHECKLIST_TITLE in marked and NEW_CHECKLIST_ITEM in marked
    assert spanish.cssselect(".tk-fallback-notice")
    assert (root / "site/es" / urls.resource_pdf(NEW_CHECKLIST_ID)).is_file()

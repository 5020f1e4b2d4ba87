"""Adding content needs no code: a new resource file plus its id in the activity's tools list
gets a page, a nav entry and a PDF. A broken macro call fails the build. (Fixture project.)"""
from __future__ import annotations

import pypdf

from conftest import run_build
from helpers import edit, urls
from test_content_errors import ACTIVITY, CHECKLIST

NEW = "site-visit-family-checklist"


def test_new_resource_is_content_only(project):
    text = (project / CHECKLIST).read_text(encoding="utf-8")
    text = text.replace("id: site-visit-student-checklist", f"id: {NEW}")
    text = text.replace('title: "Student Site Visit Checklist"', 'title: "Family Site Visit Checklist"')
    (project / f"content/resources/{NEW}.yml").write_text(text, encoding="utf-8")
    edit(project, ACTIVITY, "- site-visit-student-checklist", f"- site-visit-student-checklist\n      - {NEW}")
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    page = project / "site" / urls.resource_page(NEW) / "index.html"
    assert "Family Site Visit Checklist" in page.read_text(encoding="utf-8")
    home = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="resources/{NEW}/"' in home  # in the nav
    activity = (project / "site" / urls.activity_page("site-visits") / "index.html").read_text(encoding="utf-8")
    assert f'href="../../resources/{NEW}/"' in activity
    reader = pypdf.PdfReader(str(project / "site" / urls.resource_pdf(NEW)))
    assert "Family Site Visit Checklist" in reader.pages[0].extract_text()


def test_macro_error_fails_the_build(project):
    (project / "docs" / "broken.md").write_text('---\nrender_macros: true\n---\n\n{{ resource_link("no-such-resource") }}\n', encoding="utf-8")
    proc = run_build(project, "build")
    assert proc.returncode == 1
    assert "no-such-resource" in proc.stderr + proc.stdout
    assert not (project / "site").exists()

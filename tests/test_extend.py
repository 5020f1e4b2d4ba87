"""Adding content needs no code: a new resource file plus its id in the activity's tools list
gets a page, a nav entry and a PDF. A broken macro call fails the build."""
from __future__ import annotations

import shutil

import pypdf

from conftest import ROOT, run_build
from macros import urls
from test_content_errors import ACTIVITY, CHECKLIST, edit

NEW = "informational-interview-family-checklist"


def test_new_resource_is_content_only(project):
    if (ROOT / ".cache").exists():
        shutil.copytree(ROOT / ".cache", project / ".cache")
    text = (project / CHECKLIST).read_text(encoding="utf-8")
    text = text.replace("id: informational-interview-student-checklist", f"id: {NEW}")
    text = text.replace('title: "Student Informational Interview Checklist"', 'title: "Family Informational Interview Checklist"')
    (project / f"content/resources/{NEW}.yml").write_text(text, encoding="utf-8")
    edit(project, ACTIVITY, "- informational-interview-student-checklist", f"- informational-interview-student-checklist\n      - {NEW}")
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    page = project / "site" / urls.resource_page(NEW) / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "Family Informational Interview Checklist" in html
    activity = (project / "site" / urls.activity_page("informational-interviews") / "index.html").read_text(encoding="utf-8")
    assert f'href="../../resources/{NEW}/"' in activity
    reader = pypdf.PdfReader(str(project / "site" / urls.resource_pdf(NEW)))
    assert "Family Informational Interview Checklist" in reader.pages[0].extract_text()


def test_macro_error_fails_the_build(project):
    (project / "docs" / "broken.md").write_text('---\nrender_macros: true\n---\n\n{{ resource_link("no-such-resource") }}\n', encoding="utf-8")
    env_site = project / "site"
    proc = run_build(project, "build")
    assert proc.returncode == 1
    assert "no-such-resource" in proc.stderr + proc.stdout
    assert not env_site.exists()

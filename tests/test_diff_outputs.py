"""`make diff` (scripts/diff_outputs.py) on a tiny fixture project in its own git repository
(tests/fixtures/diff: one activity, a checklist and a tip sheet, English and Spanish)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, fill_translations

sys.path.insert(0, str(ROOT / "scripts"))
import diff_outputs  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "diff" / "content"
CHECKLIST = "job-visit-checklist"
ACTIVITY = "job-visits"


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The project's code with the fixture content, committed in a fresh git repository."""
    for tool in ("pdftoppm", "pdftotext", "node", "git"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is needed")
    root = copy_project(tmp_path_factory.mktemp("diff") / "project")
    shutil.rmtree(root / "content")
    shutil.copytree(FIXTURE, root / "content")
    fill_translations(root)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", "-A")
    _git(root, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "fixture")
    return root


def test_an_unchanged_build_reports_nothing(repo, tmp_path):
    data = diff_outputs.run(repo, "HEAD", None, tmp_path / "out", jobs=2)
    assert data == {"pages": {"added": [], "removed": [], "changed": []}, "pdfs": {"added": [], "removed": [], "changed": []}}
    assert "No page and no PDF changed." in (tmp_path / "out" / "summary.md").read_text(encoding="utf-8")


def test_a_one_item_edit_reports_that_resource_and_its_packet_in_both_languages(repo, tmp_path, monkeypatch):
    english = repo / "content" / "resources" / f"{CHECKLIST}.yml"
    spanish = repo / "content" / "translations" / "es" / "resources" / f"{CHECKLIST}.yml"
    for path in (english, spanish):  # the English, and the translator's update of the Spanish
        text = path.read_text(encoding="utf-8")
        assert "Write three questions." in text
        path.write_text(text.replace("Write three questions.", "Write five questions."), encoding="utf-8")
    out = tmp_path / "out"
    job_summary = tmp_path / "step-summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(job_summary))
    preview = "https://example.org/pr-preview/pr-7/"
    data = diff_outputs.run(repo, "HEAD", None, out, jobs=2, preview_url=preview, publish_dir=tmp_path / "site" / "changes")

    pdf = f"resources/{CHECKLIST}/{CHECKLIST}.pdf"
    packet = f"activities/{ACTIVITY}/{ACTIVITY}-packet.pdf"
    changed = {c["path"]: c for c in data["pdfs"]["changed"]}
    assert sorted(changed) == sorted([pdf, packet, f"es/{pdf}", f"es/{packet}"])
    assert data["pdfs"]["added"] == data["pdfs"]["removed"] == []
    assert sorted(data["pages"]["changed"]) == sorted([f"resources/{CHECKLIST}/index.html", f"es/resources/{CHECKLIST}/index.html"])

    page = changed[pdf]["pages"]["1"]
    assert any("three" in line for line in page["removed"]) and any("five" in line for line in page["added"])
    for side in ("before", "after", "diff"):
        image = out / page["images"][side]
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert 0 < page["changed_pixels"] and page["share"] < 0.05  # a line, not the whole page
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "Job Visit Checklist" in summary and "**page 1**" in summary and "five" in summary
    assert json.loads((out / "report.json").read_text(encoding="utf-8")) == data
    # for a pull request: the preview linked, pictures published with it, the job summary written
    assert f"<{preview}>" in summary and f"]({preview}changes/pdfs/" in summary
    assert (tmp_path / "site" / "changes" / page["images"]["diff"]).is_file()
    assert job_summary.read_text(encoding="utf-8").strip() == summary.strip()


def test_a_ref_that_does_not_exist_is_a_clear_error(repo, tmp_path):
    code = diff_outputs.main(["--root", str(repo), "--base", "no-such-ref", "--out", str(tmp_path / "out")])
    assert code == 1

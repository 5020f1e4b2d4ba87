"""A build with nothing changed does nothing; any change to what the site is made from builds
again (issue #14: "make build run twice")."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from conftest import ROOT, copy_project


def _build(project, trace):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TOOLKIT_TRACE=str(trace))
    trace.write_text("", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "macros", "build", "--jobs", "2"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr, trace.read_text(encoding="utf-8").splitlines()


def _files(site):
    return {p.relative_to(site).as_posix(): p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}


def test_an_unchanged_build_is_skipped_and_a_change_rebuilds(tmp_path):
    project = copy_project(tmp_path / "project")
    if (ROOT / ".cache" / "pdf").exists():  # PDFs are keyed on content: reuse the project's
        shutil.copytree(ROOT / ".cache" / "pdf", project / ".cache" / "pdf")
    trace = tmp_path / "trace.txt"
    _, first = _build(project, trace)
    assert first.count("load") == 1
    before = _files(project / "site")

    log, second = _build(project, trace)
    assert "load" not in second and "up to date" in log
    assert _files(project / "site") == before

    # a file someone changed inside the built site is put right by the next build
    victim = next(p for p in (project / "site").rglob("*.html"))
    victim.write_text("broken", encoding="utf-8")
    _, third = _build(project, trace)
    assert third.count("load") == 1 and victim.read_text(encoding="utf-8") != "broken"

    # an edit to any content file builds again
    site_file = project / "content" / "site.yml"
    site_file.write_text(site_file.read_text(encoding="utf-8") + "\n# an editor's comment\n", encoding="utf-8")
    _, fourth = _build(project, trace)
    assert fourth.count("load") == 1


def test_a_file_saved_while_the_build_reads_the_content_is_read_again(project, monkeypatch):
    """An editor saves while ``make build`` is reading the content: the build reads it again,
    and the published PDF (and the PDF cache, keyed on what was read) shows the saved text,
    never the older one under the newer file's key."""
    import re

    import pypdf
    import yaml

    from macros import build as build_module

    path = sorted((project / "content" / "resources").glob("*.yml"))[0]
    rid = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
    text = path.read_text(encoding="utf-8")
    new = "2026-01-02" if "revised: 2026-01-02" not in text else "2026-01-03"
    real, calls = build_module.load_and_report, []

    def load_then_save(root):
        toolkit = real(root)
        if not calls:   # just after the first read: a new revision date is saved
            path.write_text(re.sub(r"(?m)^revised: .*$", f"revised: {new}", text, count=1), encoding="utf-8")
        calls.append(root)
        return toolkit

    monkeypatch.setattr(build_module, "load_and_report", load_then_save)
    assert build_module.build(project, jobs=2) == 0
    assert len(calls) == 2, "the content was not read again"
    marker = f"January {int(new[-2:])}, 2026"
    pdf = project / "site" / "resources" / rid / f"{rid}.pdf"
    words = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages).split())
    assert marker in words
    # and the next build, with nothing changed since, publishes the same (fresh) paper
    monkeypatch.setattr(build_module, "load_and_report", real)
    shutil.rmtree(project / "site")
    assert build_module.build(project, jobs=2) == 0
    words = " ".join(" ".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages).split())
    assert marker in words

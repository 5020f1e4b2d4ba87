"""Content is data: template syntax and HTML in text come out literally on the page and in the
PDF; WeasyPrint reads only the project's assets; a failed build leaves the site untouched."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import lxml.html
import pypdf
import pytest

from conftest import macros_command, make_project, run_build
from helpers import edit, html_to_pdf, line_of, norm, refused_url_error, running_in_session, urls
from test_content_errors import CHECKLIST, CHECKLIST_ID as RID, PACK

NASTY = "Bring {{ 7*7 }} copies {% if x %} {#id} <script>alert(1)</script> <img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """A fixture project with a hostile checklist item, built for real (PDFs included)."""
    project = make_project(tmp_path_factory.mktemp("hostile") / "project")
    edit(project, CHECKLIST, PACK, '"' + NASTY.replace('"', '\\"') + '"')
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return project


@pytest.fixture
def built_copy(hostile_build, tmp_path):
    """A copy of ``hostile_build`` (with its site and PDF cache) to change."""
    copy = tmp_path / "project"
    shutil.copytree(hostile_build, copy, symlinks=True)
    return copy


def test_template_syntax_and_html_come_out_literally(built_copy):
    page = built_copy / "site" / urls.resource_page(RID) / "index.html"
    raw = page.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(raw)
    article = doc.cssselect("article")[0]
    text = norm(article.text_content())
    assert norm(NASTY) in text                       # shown literally, braces and tags included
    assert "49 copies" not in text
    assert not article.cssselect("script, img")      # nothing executable in the content
    assert "onerror" not in lxml.html.tostring(article, encoding="unicode").replace("onerror=alert(1)&gt;", "")
    reader = pypdf.PdfReader(io.BytesIO((built_copy / "site" / urls.resource_pdf(RID)).read_bytes()))
    pdf_text = norm(" ".join(p.extract_text() for p in reader.pages))
    assert norm(NASTY) in pdf_text


def test_failed_build_leaves_previous_site_untouched(built_copy):
    site = built_copy / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    edit(built_copy, CHECKLIST, "max_pages: 1", "max_pages: 1\nmax_pages: 2")
    proc = run_build(built_copy, "build")
    assert proc.returncode == 2
    assert f"{CHECKLIST}:" in proc.stderr and "appears twice" in proc.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(built_copy.glob(".site-*"))      # no half-built folder left behind


def test_pdf_over_its_page_budget_fails_the_build_and_keeps_the_site(built_copy):
    site = built_copy / "site"
    old_pdf = (site / urls.resource_pdf(RID)).read_bytes()
    extra = "".join(f'\n      - id: extra-{i}\n        text: "Extra step number {i} to make the list too long for one page."' for i in range(30))
    edit(built_copy, CHECKLIST, '    items:\n      - id: pick-a-question', '    items:' + extra + '\n      - id: pick-a-question')
    # English only: the new steps are not translated yet; two workers, so the PDFs may finish
    # in any order
    proc = macros_command(built_copy, "build", "--jobs", "2")
    assert proc.returncode == 1
    line = line_of(built_copy, CHECKLIST, "max_pages:")
    english = (f"{CHECKLIST}:{line}:1: max_pages: 'Student Site Visit Checklist' prints on 2 pages, in the compact style "
               "too, but may use at most 1")
    assert english in proc.stderr
    # the Spanish edition runs over too, but its translation lags (the new steps print in
    # English): a warning at the same line, not a second failure
    spanish = f"PDF warning: {CHECKLIST}:{line}:1: max_pages: its Spanish version"
    assert spanish in proc.stderr and "30 of its texts have no Spanish yet" in proc.stderr
    assert f"PDF failed: es:{RID}" not in proc.stderr
    assert (site / urls.resource_pdf(RID)).read_bytes() == old_pdf


def test_a_lagging_translation_that_runs_past_the_page_budget_still_publishes(built_copy):
    """An English edit that fits its page budget in English publishes, even when the Spanish
    sheet, which prints the new texts in English until they are translated, runs over: the
    Spanish PDF is published longer, with a warning at the resource's max_pages line."""
    english_pdf = built_copy / "site" / urls.resource_pdf(RID)
    spanish_pdf = built_copy / "site" / "es" / urls.resource_pdf(RID)
    assert len(pypdf.PdfReader(english_pdf).pages) == len(pypdf.PdfReader(spanish_pdf).pages) == 1
    line = line_of(built_copy, CHECKLIST, "max_pages:")
    # make the Spanish longer than the English (each entry in English and again in Spanish)
    translation = built_copy / f"content/translations/es/resources/{RID}.yml"
    text = translation.read_text(encoding="utf-8")
    translation.write_text(re.sub(r'(?m)^(    es: ")(.*)"$', lambda m: f'{m[1]}{m[2]} {m[2]} {m[2]}"', text), encoding="utf-8")
    # then add English steps: how many the English still holds on its one page
    added = 0
    for count in range(1, 40):
        project = built_copy.parent / f"try-{count}"
        shutil.copytree(built_copy, project, symlinks=True)
        steps = "".join(f'\n      - id: new-{i}\n        text: "Step {i}."' for i in range(count))
        edit(project, CHECKLIST, '    items:\n      - id: pick-a-question', '    items:' + steps + '\n      - id: pick-a-question')
        proc = macros_command(project, "build", "--jobs", "2")
        if proc.returncode != 0:
            break
        added = count
        result = proc
        if len(pypdf.PdfReader(project / "site" / "es" / urls.resource_pdf(RID)).pages) > 1:
            break
        shutil.rmtree(project)
    assert added, proc.stderr   # the English held at least one more step
    assert len(pypdf.PdfReader(project / "site" / urls.resource_pdf(RID)).pages) == 1
    assert len(pypdf.PdfReader(project / "site" / "es" / urls.resource_pdf(RID)).pages) == 2, "the Spanish never ran over"
    warning = f"PDF warning: {CHECKLIST}:{line}:1: max_pages: its Spanish version"
    assert warning in result.stderr
    assert f"{added} of its texts {'has' if added == 1 else 'have'} no Spanish yet" in result.stderr
    # every build says it again while the sheet runs over, not only the one that rendered it
    shutil.rmtree(project / "site")
    again = macros_command(project, "build", "--jobs", "2")
    assert again.returncode == 0 and "PDFs: 0 rendered" in again.stderr, again.stderr
    assert warning in again.stderr


def test_a_finished_translation_past_the_page_budget_publishes_with_a_warning_naming_the_translation(project):
    """A finished, current translation that runs past the page budget (in the compact style
    too) never fails the build: a correct English-only edit (a new audience, a reworded
    item) can make the Spanish sheet print longer, and the English editor cannot shorten
    the Spanish. The longer Spanish PDF is published, and a warning at the resource's
    max_pages line names the translation file to shorten — said again by every build while
    the sheet runs over, also when its PDF comes from the cache."""
    translation = f"content/translations/es/resources/{RID}.yml"
    path = project / translation
    text = path.read_text(encoding="utf-8")
    # every paragraph and step said over and over, each as long as its length limit allows
    # (2,000 and 160 characters): titles stay as they are

    def over_and_over(match, limit):
        return f'{match[1]}{" ".join([match[2]] * (limit // (len(match[2]) + 1)))}"'

    long = re.sub(r'(?m)^(  (?:introduction|closing)[^:]*:\n    en: .*\n    es: ")(.*)"$', lambda m: over_and_over(m, 2000), text)
    long = re.sub(r'(?m)^(  [^:]*\.items\.[^:]*:\n    en: .*\n    es: ")(.*)"$', lambda m: over_and_over(m, 160), long)
    path.write_text(long, encoding="utf-8")
    proc = macros_command(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    line = line_of(project, CHECKLIST, "max_pages:")
    warning = f"PDF warning: {CHECKLIST}:{line}:1: max_pages: its Spanish version"
    assert warning in proc.stderr and f"shorten the Spanish text in {translation}" in proc.stderr
    assert "PDF failed" not in proc.stderr and "no Spanish yet" not in proc.stderr
    english_pdf = project / "site" / urls.resource_pdf(RID)
    spanish_pdf = project / "site" / "es" / urls.resource_pdf(RID)
    assert len(pypdf.PdfReader(english_pdf).pages) == 1
    assert len(pypdf.PdfReader(spanish_pdf).pages) > 1
    # every build says it again while the sheet runs over, not only the one that rendered it
    shutil.rmtree(project / "site")
    again = macros_command(project, "build", "--jobs", "2")
    assert again.returncode == 0 and "PDFs: 0 rendered" in again.stderr, again.stderr
    assert warning in again.stderr


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data", "https://example.org/logo.png", "data:image/png;base64,AAAA"])
def test_pdf_renderer_refuses_anything_outside_the_project(url):
    html = f'<html lang="en"><body><p>x</p><img src="{url}" alt="x"></body></html>'
    with pytest.raises(refused_url_error()):
        html_to_pdf(html)


def test_pdf_renderer_refuses_attachments():
    html = '<html lang="en"><head><link rel="attachment" href="file:///etc/passwd"></head><body>x</body></html>'
    with pytest.raises(refused_url_error()):
        html_to_pdf(html)


def test_a_broken_link_fails_the_strict_site_build_and_keeps_the_site(built_copy):
    """The site generator runs strictly: a hand-written page in docs/ with a link to a page
    that does not exist stops the build (exit 1) and the published site stays as it was."""
    site = built_copy / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (built_copy / "docs").mkdir(exist_ok=True)
    (built_copy / "docs" / "extra.md").write_text("# Extra\n\nSee [the missing page](no-such-page.md).\n", encoding="utf-8")
    proc = run_build(built_copy, "build", "--jobs", "1")
    assert proc.returncode == 1
    assert "no-such-page.md" in proc.stderr
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not list(built_copy.glob(".site-*"))


#: Moments to stop a build at, each seen from outside: a file the build has just made.
STOP_MOMENTS = {
    "while PDFs are made": lambda project: list((project / ".cache" / "pdf").glob(".held-*/*.pdf")),
    # the Workbox runtime is copied into each edition just before Node.js writes the workers
    # (English, at the root, first)
    "while the offline service workers are written":
        lambda project: [p for p in project.glob(".site-building-*/*/workbox-v*/*") if p.stat().st_size],
}


@pytest.mark.parametrize("moment, stop", [(moment, "ctrl-c") for moment in STOP_MOMENTS] + [("while PDFs are made", "kill")])
def test_a_build_stopped_with_ctrl_c_leaves_everything_as_it_was(built_copy, moment, stop):
    """Ctrl-C (SIGINT to every process of the command) while the PDFs are being made, or
    during the build's last step, or ``kill`` (SIGTERM to the build's own process: a process
    manager, a cancelled job): the build says it stopped, with no traceback, ends with the
    shells' Ctrl-C code, and leaves the published site as it was, no half-made folders, no
    temporary files and no helper process behind."""
    site = built_copy / "site"
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    shutil.rmtree(built_copy / ".cache" / "pdf")   # every PDF is made again: the build takes a while
    edit(built_copy, CHECKLIST, "copies", "spare copies")   # something to build
    temp = Path(tempfile.mkdtemp(prefix="t"))
    try:
        proc = subprocess.Popen([sys.executable, "-m", "macros", "build", "--jobs", "2"], cwd=built_copy,
                                env=dict(os.environ, TMPDIR=str(temp)), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True, start_new_session=True)
        deadline = time.monotonic() + 120
        while not STOP_MOMENTS[moment](built_copy):
            assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
            time.sleep(0.01)
        if stop == "kill":
            proc.send_signal(signal.SIGTERM)
        else:
            os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
        time.sleep(1)   # a helper still exiting would be seen below
        left = sorted(str(p.relative_to(temp)) for p in temp.rglob("*"))
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "Stopped" in err, err
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in built_copy.iterdir() if p.name.startswith(".site")) == []
    assert list((built_copy / ".cache" / "pdf").glob(".held-*")) == []
    assert left == []
    assert running_in_session(proc.pid) == []   # no process of the build is left


def test_a_build_leaves_its_process_stoppable(project):
    """A build run inside another program (a test, the benchmark) gives that program its
    Ctrl-C and SIGTERM handling back: the build ignores them only while it swaps the site in
    and cleans up. (Left ignored, every process started afterwards inherited an ignored
    SIGTERM, and a PDF worker that ignores it cannot be stopped: the next build hung.)"""
    from macros import build as build_module

    stops = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
    before = {sig: signal.getsignal(sig) for sig in stops}
    assert build_module.build(project, jobs=2) == 0
    assert {sig: signal.getsignal(sig) for sig in stops} == before


#: Runs a command as ``python -m macros`` / ``python build_pdfs.py`` would, with Ctrl-C pressed
#: at its first import after its opening lines (``argparse``): the moment it is still starting.
CTRL_C_WHILE_STARTING = """
import builtins, os, runpy, signal, sys
real_import = builtins.__import__
def hook(name, *args, **kwargs):
    if name == "argparse" and not getattr(hook, "pressed", False):
        hook.pressed = True
        os.kill(os.getpid(), signal.SIGINT)
    return real_import(name, *args, **kwargs)
builtins.__import__ = hook
sys.argv = [sys.argv[1], *sys.argv[2:]]
if sys.argv[0] == "macros":
    runpy.run_module("macros", run_name="__main__", alter_sys=True)
else:
    runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize("command", [["macros", "check"], ["build_pdfs.py", "--force"]])
def test_ctrl_c_while_a_command_is_still_starting_prints_no_traceback(project, command):
    """Ctrl-C during a command's imports ends it with the shells' Ctrl-C code and a short
    "Stopped.", not a Python traceback from the middle of an import."""
    target = command[0] if command[0] == "macros" else str(project / command[0])
    proc = subprocess.run([sys.executable, "-c", CTRL_C_WHILE_STARTING, target, *command[1:]], cwd=project,
                          capture_output=True, text=True, timeout=60, env=dict(os.environ, PYTHONPATH=str(project)))
    assert (proc.returncode, proc.stderr.strip()) == (130, "Stopped.")

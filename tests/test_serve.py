"""The live preview (``make serve``, issue #14): a saved edit shows on the page, and the page's
PDF link then answers with the edited PDF at once — it waits for the render, never answers
"not found" and never sends older paper. Behaviour only: the timing targets are the
benchmark's business (``bench/preview.py``).

One preview server runs for the whole module, on a copy of the shipped project; each test
edits a different resource and derives its ids and words from the files."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, copy_project, make_project
from helpers import running_in_session
from macros.adapters.serve import PdfStore, temporary_folder
from macros.loader import load_toolkit
from macros.plan import make_plan

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 90) -> tuple[int, bytes]:
    """``(status, body)``; status 0 when nothing answers."""
    try:
        with _OPENER.open(url, timeout=timeout) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def _words(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").split())


def _pdf_words(data: bytes) -> str:
    assert data.startswith(b"%PDF"), "not a PDF"
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8", "replace").split())


class Preview:
    """The running preview of the project copy: ``url(path)``, ``resource(i)``, its log."""

    def __init__(self, project: Path, port: int, log: Path, proc: subprocess.Popen):
        self.project, self.port, self.log, self.proc = project, port, log, proc

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def resource(self, index: int) -> tuple[Path, str]:
        """(file, id) of the index-th resource file of the project."""
        path = sorted((self.project / "content" / "resources").glob("*.yml"))[index]
        return path, yaml.safe_load(path.read_text(encoding="utf-8"))["id"]

    def wait_for(self, what: str, condition, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert self.proc.poll() is None, "the preview server stopped"
            assert time.monotonic() < deadline, f"timed out waiting: {what}"
            time.sleep(0.1)


def _revise(path: Path) -> str:
    """Give the file a new ``revised:`` date (in January 2026, not the one it has); return the
    words the page and the PDF print for it."""
    text = path.read_text(encoding="utf-8")
    day = next(d for d in range(2, 29) if f"revised: 2026-01-{d:02d}\n" not in text)
    path.write_text(re.sub(r"(?m)^revised: .*$", f"revised: 2026-01-{day:02d}", text, count=1), encoding="utf-8")
    return f"January {day}, 2026"


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    if (ROOT / ".cache" / "pdf").exists():
        shutil.copytree(ROOT / ".cache" / "pdf", project / ".cache" / "pdf")
    port = _free_port()
    log = project.parent / "serve.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "macros", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    p = Preview(project, port, log, proc)
    try:
        p.wait_for("the home page", lambda: _get(p.url())[0] == 200, timeout=180)
        yield p
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def test_the_pdf_asked_for_right_after_the_page_shows_an_edit_is_the_edited_one(preview):
    path, rid = preview.resource(0)
    page, pdf = preview.url(f"resources/{rid}/"), preview.url(f"resources/{rid}/{rid}.pdf")
    status, _ = _get(pdf, timeout=300)  # the first render of a cold cache may take a while
    assert status == 200
    marker = _revise(path)
    preview.wait_for("the edit on the page", lambda: marker in _words(_get(page)[1]))
    # The PDF is being rendered again now: two readers ask at once, and each gets the new PDF
    # with the first answer (no "not found", no old paper, no retry).
    answers: list[tuple[int, bytes]] = []
    askers = [threading.Thread(target=lambda: answers.append(_get(pdf))) for _ in range(2)]
    for t in askers:
        t.start()
    for t in askers:
        t.join()
    for status, data in answers:
        assert status == 200, f"the PDF link answered {status} while the PDF was being made again"
        assert marker in _pdf_words(data), "the preview served a PDF older than its page"


def test_a_pdf_the_plan_does_not_have_is_not_found(preview):
    _, rid = preview.resource(0)
    assert _get(preview.url(f"resources/{rid}/{rid}-not-in-the-plan.pdf"))[0] == 404
    assert _get(preview.url("resources/no-such-resource/no-such-resource.pdf"))[0] == 404


def test_the_page_live_reloads_through_the_front_server(preview):
    path, rid = preview.resource(1)
    html = _get(preview.url(f"resources/{rid}/"))[1].decode("utf-8")
    found = re.search(r"livereload\((\d+), (\d+)\)", html)
    assert found, "the page has no live-reload script"
    epoch = int(found.group(1))
    # The browser's long-poll: answered when the site has been rebuilt after an edit.
    answer: list[tuple[int, bytes]] = []
    poll = threading.Thread(target=lambda: answer.append(_get(preview.url(f"livereload/{epoch}/{found.group(2)}"), timeout=70)))
    poll.start()
    time.sleep(0.5)
    marker = _revise(path)
    poll.join(timeout=70)
    assert answer and answer[0][0] == 200, "the live-reload request did not come back through the front server"
    assert int(answer[0][1]) > epoch, "the live-reload answer does not tell the browser to reload"
    preview.wait_for("the edit on the page", lambda: marker in _words(_get(preview.url(f"resources/{rid}/"))[1]))


def test_a_content_mistake_keeps_the_last_good_page_and_its_pdf(preview):
    path, rid = preview.resource(2)
    rel = path.relative_to(preview.project).as_posix()
    page, pdf = preview.url(f"resources/{rid}/"), preview.url(f"resources/{rid}/{rid}.pdf")
    marker = _revise(path)
    preview.wait_for("the edit on the page", lambda: marker in _words(_get(page)[1]))
    good = path.read_text(encoding="utf-8")
    reports = preview.log.read_text(encoding="utf-8", errors="replace").count(rel)
    path.write_text(good + 'revised: "2026-02-30"\n', encoding="utf-8")  # a key written twice
    preview.wait_for("the editor report", lambda: preview.log.read_text(encoding="utf-8", errors="replace").count(rel) > reports)
    assert "twice" in preview.log.read_text(encoding="utf-8", errors="replace")
    status, data = _get(page)
    assert status == 200 and marker in _words(data), "the last good page is gone"
    status, data = _get(pdf, timeout=30)
    assert status == 200 and marker in _pdf_words(data), "the last good PDF is not served"
    path.write_text(good, encoding="utf-8")


def test_a_new_title_reaches_the_navigation_of_every_page(preview):
    """A title is in every page's navigation: the preview builds again the pages whose own
    inputs did not change too (the generator rebuilds only changed sources by itself)."""
    from macros.loader import load_toolkit
    from macros.plan import make_plan

    path, rid = preview.resource(3)
    rel = path.relative_to(preview.project).as_posix()
    english = make_plan(load_toolkit(preview.project), ["en"]).editions[0]
    others = [p.path for p in english.pages if rel not in p.inputs]
    assert others, "every page depends on the file: pick another"
    text = path.read_text(encoding="utf-8")
    new_title = f"Navcheck {yaml.safe_load(text)['title']}"
    path.write_text(re.sub(r'(?m)^title: "', 'title: "Navcheck ', text, count=1), encoding="utf-8")
    try:
        for page in others:
            preview.wait_for(f"the new title in the navigation of /{page}",
                             lambda: new_title in _words(_get(preview.url(page))[1]))
    finally:
        path.write_text(text, encoding="utf-8")


def _start_preview(project: Path, temp: Path, log: Path) -> Preview:
    """A preview of ``project`` with ``TMPDIR`` at ``temp``, in a session of its own, its home
    page up."""
    port = _free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "macros", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                                env=dict(os.environ, NO_MKDOCS_2_WARNING="1", TMPDIR=str(temp)), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
    p = Preview(project, port, log, proc)
    try:
        p.wait_for("the home page", lambda: _get(p.url())[0] == 200, timeout=180)
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return p


def _project_with_cache(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    if (ROOT / ".cache" / "pdf").exists():
        shutil.copytree(ROOT / ".cache" / "pdf", project / ".cache" / "pdf")
    return project


@pytest.mark.parametrize("stop, during", [("ctrl-c", "a render here"), ("kill", "a render here"),
                                          ("ctrl-c", "a pool render"), ("kill", "a pool render")])
def test_a_stopped_preview_leaves_no_temporary_files_and_no_error(tmp_path, stop, during):
    """Ctrl-C (SIGINT to the terminal's process group) or ``kill`` (SIGTERM to the preview's
    process), either after the preview rendered a PDF itself and while it renders it again, or
    while it renders many PDFs in its pool of workers (after an edit every PDF depends on):
    the preview ends cleanly, with no error message, no process of it left, and removes every
    temporary file it and its helpers made (WeasyPrint's font folders, the site generator's
    build folder, the workers' sockets)."""
    project = _project_with_cache(tmp_path)
    temp = Path(tempfile.mkdtemp(prefix="t"))   # short: sockets go in there (107 bytes at most)
    log = tmp_path / "serve.log"
    p = _start_preview(project, temp, log)
    proc = p.proc
    try:
        if during == "a render here":
            path, rid = p.resource(1)
            marker = _revise(path)
            p.wait_for("the edit on the page", lambda: marker in _words(_get(p.url(f"resources/{rid}/"))[1]))
            status, data = _get(p.url(f"resources/{rid}/{rid}.pdf"), timeout=300)  # rendered in the preview's process
            assert status == 200 and marker in _pdf_words(data)
            # and stopped while it renders that PDF again after a second edit
            marker = _revise(path)
            p.wait_for("the second edit on the page", lambda: marker in _words(_get(p.url(f"resources/{rid}/"))[1]))
            threading.Thread(target=_get, args=(p.url(f"resources/{rid}/{rid}.pdf"),), daemon=True).start()
            time.sleep(0.2)
        else:
            site = project / "content" / "site.yml"   # an input of every PDF: all of them go stale
            site.write_text(site.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
            p.wait_for("a first batch of PDFs rendered in the background",
                       lambda: "PDFs: " in log.read_text(encoding="utf-8", errors="replace"), timeout=300)
            time.sleep(0.3)   # the next batch's pool is starting its workers
    finally:
        if stop == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            raise
    time.sleep(1)  # nothing is cleaned up late, by a helper still exiting
    text = log.read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, text
    for sign in ("Traceback", "Exception ignored", "PDF failed"):
        assert sign not in text, text
    assert running_in_session(proc.pid) == []
    left = sorted(str(x.relative_to(temp)) for x in temp.rglob("*"))
    shutil.rmtree(temp)
    assert left == [temporary_folder(project, "en").name]  # the preview's own folder, empty


def test_a_closing_pdf_store_stops_the_render_under_way_and_waits_for_it(tmp_path, monkeypatch):
    """When the preview stops, its PDF store asks the render under way (one PDF here or many in
    a pool) to stop and returns only once it has ended, so nothing still renders while the
    preview removes its temporary files."""
    import build_pdfs

    project = make_project(tmp_path / "project")
    started, ended = threading.Event(), threading.Event()

    def render_until_stopped(root, **options):
        started.set()
        stop, deadline = options.get("stop"), time.monotonic() + 30
        while not (stop is not None and stop.is_set()) and time.monotonic() < deadline:
            time.sleep(0.01)
        ended.set()
        raise build_pdfs.Stopped("the PDF build was stopped")

    monkeypatch.setattr(build_pdfs, "build", render_until_stopped)
    store = PdfStore(project, "en", tmp_path / "pdfs")
    store.update(make_plan(load_toolkit(project)), None, {})
    assert started.wait(60), "no render started"
    store.close(timeout=20)
    assert ended.is_set()


def test_a_preview_killed_outright_leaves_no_process_and_its_next_start_clears_its_files(tmp_path):
    """SIGKILL (no clean-up possible) after the preview rendered a PDF: its helpers (the site
    generator's server, the PDF workers' server) end by themselves, and what it left in its
    temporary folder is gone once the preview of that edition starts again."""
    project = _project_with_cache(tmp_path)
    temp = Path(tempfile.mkdtemp(prefix="t"))
    log = tmp_path / "serve.log"
    try:
        p = _start_preview(project, temp, log)
        path, rid = p.resource(2)
        marker = _revise(path)
        p.wait_for("the edit on the page", lambda: marker in _words(_get(p.url(f"resources/{rid}/"))[1]))
        assert _get(p.url(f"resources/{rid}/{rid}.pdf"), timeout=300)[0] == 200
        p.proc.kill()
        p.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while running_in_session(p.proc.pid) and time.monotonic() < deadline:   # its helpers end by themselves
            time.sleep(0.2)
        assert running_in_session(p.proc.pid) == []
        folder = temp / temporary_folder(project, "en").name
        left = {x.name for x in folder.iterdir()}
        assert left, "a killed preview had nothing to leave (the test did not make a PDF in it)"
        again = _start_preview(project, temp, log)
        try:
            assert left.isdisjoint(x.name for x in folder.iterdir())
        finally:
            os.killpg(again.proc.pid, signal.SIGINT)
            again.proc.wait(timeout=60)
    finally:
        shutil.rmtree(temp, ignore_errors=True)

"""The live preview (``make serve``): a saved edit shows on the page, and once it does, the
page's PDF link never returns paper older than the page (issue #14). Behaviour only: the
timing targets are the benchmark's business."""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import yaml

from conftest import ROOT, copy_project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5) as r:
            return r.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def _first_resource(project):
    """(file, resource id) of the first resource file in the project."""
    path = sorted((project / "content" / "resources").glob("*.yml"))[0]
    return path, yaml.safe_load(path.read_text(encoding="utf-8"))["id"]


def test_an_edit_reaches_the_page_and_the_pdf_is_never_older_than_the_page(tmp_path):
    project = copy_project(tmp_path / "project")
    if (ROOT / ".cache" / "pdf").exists():
        shutil.copytree(ROOT / ".cache" / "pdf", project / ".cache" / "pdf")
    path, rid = _first_resource(project)
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "macros", "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    page = f"http://127.0.0.1:{port}/resources/{rid}/"
    pdf = page + f"{rid}.pdf"
    try:
        deadline = time.monotonic() + 180
        while _get(pdf) is None:
            assert proc.poll() is None, "the preview server stopped"
            assert time.monotonic() < deadline, "the preview never served the PDF"
            time.sleep(0.5)
        # an ordinary edit: a new revision date, which the page and the PDF both print
        text = path.read_text(encoding="utf-8")
        new = "2026-01-02" if "revised: 2026-01-02" not in text else "2026-01-03"
        path.write_text(re.sub(r"(?m)^revised: .*$", f"revised: {new}", text, count=1), encoding="utf-8")
        marker = f"January {int(new[-2:])}, 2026"
        deadline = time.monotonic() + 120
        while marker not in " ".join((_get(page) or b"").decode("utf-8", "replace").split()):
            assert time.monotonic() < deadline, "the edit never reached the page"
            time.sleep(0.2)
        # From now on the PDF is either not there yet or already shows the edit.
        while True:
            data = _get(pdf)
            if data is not None:
                assert marker in " ".join(_pdf_text(data).split()), "the preview served a PDF older than its page"
                break
            assert time.monotonic() < deadline, "the PDF never came back"
            time.sleep(0.2)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)

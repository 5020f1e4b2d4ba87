#!/usr/bin/env python3
"""Live-preview benchmark (issue #14): how long after a save the page and its PDF show the edit.

Usage (from the project root, after ``make setup``)::

    .venv/bin/python bench/preview.py [--edits 5] [--lang en]

It copies the project (the real content, size 1×) to a temporary folder, with the PDF cache of
this checkout if there is one, starts ``python -m macros serve`` there on a free port and
waits until every PDF of the edition is served. Then, for each edit (a different resource each
time, alternating a new ``revised:`` date and a reworded checklist item), it saves the English
YAML file and measures

* **page**: seconds from the save until the resource's page (fetched over HTTP, as the browser
  does after its live reload) contains the change;
* **PDF**: seconds from the save until the page's PDF link returns a PDF whose text
  (``pdftotext``) contains the change (asked for once the page shows it, as a reader would).

It prints the median and the maximum of each beside the targets of issue #14 (page ≤ 1.5 s,
PDF ≤ 3 s on 2 cores). :func:`measure_preview` returns the same figures for ``bench/benchmark.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Issue #14's targets, in seconds.
PAGE_TARGET = 1.5
PDF_TARGET = 3.0
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_IGNORE = shutil.ignore_patterns(".venv", "site", "site-zensical", ".site-*", ".cache", ".build", ".git", "__pycache__",
                                 ".pytest_cache", "node_modules", "bench", "diff-report")


def copy_project(dest: Path) -> Path:
    """Copy this checkout's code and content to ``dest`` (no builds, no virtualenv; the PDF
    cache is copied too, so the preview starts warm; ``node_modules`` is a symlink)."""
    shutil.copytree(ROOT, dest, ignore=_IGNORE)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    if (ROOT / ".cache" / "pdf").is_dir():
        shutil.copytree(ROOT / ".cache" / "pdf", dest / ".cache" / "pdf")
    return dest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, timeout: float = 90) -> tuple[int, bytes]:
    try:
        with _OPENER.open(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, b""


def _words(data: bytes) -> str:
    return " ".join(data.decode("utf-8", "replace").split())


def _pdf_words(data: bytes) -> str:
    run = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True)
    return " ".join(run.stdout.decode("utf-8", "replace").split())


def _edits(project: Path, count: int) -> list[tuple[Path, str, str, str]]:
    """``count`` edits as ``(file, resource id, new text of the file, words that show the
    change)``, each on another resource: even ones a new ``revised:`` date, odd ones a new
    word at the start of the first checklist item."""
    import yaml

    files = sorted((project / "content" / "resources").glob("*.yml"))
    with_items = [p for p in files if re.search(r'(?m)\btext: "', p.read_text(encoding="utf-8"))]
    out, used = [], set()
    for i in range(count):
        pool = [p for p in (with_items if i % 2 else files) if p not in used] or files
        path = pool[(i * 7) % len(pool)]
        used.add(path)
        text = path.read_text(encoding="utf-8")
        rid = yaml.safe_load(text)["id"]
        if i % 2 == 0:
            day = 10 + i
            new = re.sub(r"(?m)^revised: .*$", f"revised: 2026-01-{day:02d}", text, count=1)
            marker = f"January {day}, 2026"
        else:
            marker = f"Previewcheck{i}x"
            new = re.sub(r'\btext: "', f'text: "{marker} ', text, count=1)
        out.append((path, rid, new, marker))
    return out


def measure_preview(edits: int = 5, lang: str = "en", log: Path | None = None) -> dict:
    """Start the live preview on a copy of the project and time ``edits`` saved edits.

    Args:
        edits: how many edits to time (each on another resource).
        lang: the edition to serve; the edits are always to the English files (in the Spanish
            edition only a date shows the change, so use ``en`` unless you know why).
        log: a file for the preview server's output (default: discarded).

    Returns:
        ``{"page_seconds": [...], "pdf_seconds": [...], "page_median", "page_max",
        "pdf_median", "pdf_max", "page_target", "pdf_target", "page_met", "pdf_met",
        "startup_seconds"}`` — seconds (floats), ``*_met`` booleans (max within target).

    Raises:
        RuntimeError: the preview did not start, stopped, or never showed an edit (120 s).
    """
    with tempfile.TemporaryDirectory(prefix="wbl-preview-bench-") as tmp:
        project = copy_project(Path(tmp) / "project")
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from macros.loader import load_toolkit
        from macros.plan import make_plan

        edition = next(e for e in make_plan(load_toolkit(project)).editions if e.language == lang)
        documents = [d.path for d in edition.documents]
        port = _free_port()
        base = f"http://127.0.0.1:{port}{urllib.parse.urlsplit(edition.site_url).path}"
        out = open(log, "w") if log else subprocess.DEVNULL
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "macros", "serve", "--lang", lang, "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            def settle() -> None:
                for path in documents:  # each request waits until its PDF is fresh
                    status, _ = _get(base + path, timeout=300)
                    if status != 200:
                        raise RuntimeError(f"the preview answered {status} for {path}")
                    if proc.poll() is not None:
                        raise RuntimeError("the preview server stopped")

            while _get(base)[0] != 200:
                if proc.poll() is not None or time.monotonic() - started > 300:
                    raise RuntimeError("the preview never served its home page")
                time.sleep(0.2)
            settle()
            startup = time.monotonic() - started
            page_times, pdf_times = [], []
            for path, rid, new_text, marker in _edits(project, edits):
                page_url = f"{base}resources/{rid}/"
                time.sleep(0.5)  # a quiet moment, as between an editor's saves
                saved = time.monotonic()
                path.write_text(new_text, encoding="utf-8")
                while marker not in _words(_get(page_url)[1]):
                    if time.monotonic() - saved > 120 or proc.poll() is not None:
                        raise RuntimeError(f"the edit of {path.name} never reached its page")
                    time.sleep(0.02)
                page_times.append(time.monotonic() - saved)
                while True:
                    status, data = _get(f"{page_url}{rid}.pdf")
                    if status == 200 and marker in _pdf_words(data):
                        break
                    if time.monotonic() - saved > 120 or proc.poll() is not None:
                        raise RuntimeError(f"the edit of {path.name} never reached its PDF (last answer {status})")
                    time.sleep(0.02)
                pdf_times.append(time.monotonic() - saved)
                settle()  # the packets too, before the next edit
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
            if log:
                out.close()
    result = {
        "page_seconds": page_times, "pdf_seconds": pdf_times,
        "page_median": statistics.median(page_times), "page_max": max(page_times),
        "pdf_median": statistics.median(pdf_times), "pdf_max": max(pdf_times),
        "page_target": PAGE_TARGET, "pdf_target": PDF_TARGET, "startup_seconds": startup,
    }
    result["page_met"] = result["page_max"] <= PAGE_TARGET
    result["pdf_met"] = result["pdf_max"] <= PDF_TARGET
    return result


def report(result: dict) -> str:
    """The figures of :func:`measure_preview` as a small table (target met: the maximum)."""
    rows = [("page shows the edit", "page"), ("PDF link returns the edited PDF", "pdf")]
    lines = [f"{'live preview (s after the save)':<34}{'median':>8}{'max':>8}{'target':>8}  met",
             *(f"{label:<34}{result[k + '_median']:>8.2f}{result[k + '_max']:>8.2f}{result[k + '_target']:>8.1f}  "
               f"{'yes' if result[k + '_met'] else 'NO'}" for label, k in rows),
             f"each edit: page {', '.join(f'{s:.2f}' for s in result['page_seconds'])}; "
             f"PDF {', '.join(f'{s:.2f}' for s in result['pdf_seconds'])}",
             f"start-up until every PDF was served: {result['startup_seconds']:.1f} s ({os.cpu_count()} cores)"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: print the figures (``--json`` for the raw dict). Exit 0, or 1 if
    the preview failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--edits", type=int, default=5, help="edits to time (default 5)")
    parser.add_argument("--lang", default="en", help="edition to serve (default en)")
    parser.add_argument("--log", type=Path, help="write the preview server's output here")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    try:
        result = measure_preview(args.edits, args.lang, args.log)
    except RuntimeError as exc:
        print(f"preview benchmark failed: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Live preview (``make serve``): pages first, paper after.

Writes one edition's source folder under ``.build/serve/<lang>/`` and runs the site
generator's own preview server on it. A loop watches ``content/``, ``macros/``, ``docs/``
and ``overrides/``; on a change it reloads the content, rewrites only the page sources whose
text changed (the server rebuilds and reloads the browser), then renders the PDFs the change
touched into the same folder in the background (cached, so usually one or two PDFs). A PDF
whose inputs changed is removed at once, so the preview never serves paper that is older
than the page: its link answers "not found" for the seconds until the new one is there. A
content mistake is printed as the editor report and the last good pages stay up.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from macros.loader import ContentError, load_toolkit
from macros.plan import make_plan
from macros.adapters import adapter, source

WATCHED = ("content", "macros", "docs", "overrides")


def _stamp(root: Path) -> tuple:
    files = [p for folder in WATCHED for p in sorted((root / folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


_PDF_LOCK = threading.Lock()


def _pdfs(root: Path, plan, lang: str, docs: Path) -> None:
    """Render the edition's PDFs (cached) into ``docs`` (one edition: no language folder);
    one run at a time."""
    with _PDF_LOCK:
        _render_pdfs(root, plan, lang, docs)


def _render_pdfs(root: Path, plan, lang: str, docs: Path) -> None:
    import build_pdfs

    edition = next(e for e in plan.editions if e.language == lang)
    staging = docs.parent / ".pdfs"
    result = build_pdfs.build(root, site_dir=staging, progress=False, plan=plan, languages=[lang])
    if not result.ok:
        for name, message in result.failed.items():
            print(f"PDF failed: {name}: {message}", file=sys.stderr)
        return
    for doc in edition.documents:
        target = docs / doc.path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(staging / edition.folder / doc.path, target)
    shutil.rmtree(staging, ignore_errors=True)
    print(f"PDFs: {len(result.rendered)} rendered, {len(result.cached)} unchanged", file=sys.stderr)


def serve(root: Path, lang: str = "en", generator: str = "mkdocs", address: str = "127.0.0.1:8000") -> int:
    """Serve a live preview of edition ``lang`` at ``address`` until interrupted. Returns the
    exit code: 2 if the content does not load at the start, the preview server's own code if
    it stops by itself with an error, else 0."""
    root = Path(root).resolve()
    try:
        plan = make_plan(load_toolkit(root))
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    edition = next(e for e in plan.editions if e.language == lang)
    dest = root / ".build" / "serve" / lang
    site_generator = adapter(generator)
    config_file = source.write(root, edition, plan.editions, dest, dest / "site", site_generator.prepare)
    docs = dest / "docs"
    _pdfs(root, plan, lang, docs)
    import os

    server = subprocess.Popen(site_generator.serve_command(config_file, address), env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    seen = _stamp(root)
    try:
        while server.poll() is None:
            time.sleep(0.3)
            now = _stamp(root)
            if now == seen:
                continue
            changed = {Path(p).relative_to(root).as_posix() for p, *_ in set(now) ^ set(seen)}
            seen = now
            code = any(not c.startswith("content/") for c in changed)
            for doc in edition.documents:  # never serve paper older than the page
                if code or changed & set(doc.inputs):
                    (docs / doc.path).unlink(missing_ok=True)
            try:
                plan = make_plan(load_toolkit(root))
            except ContentError as exc:
                print(exc.report(), file=sys.stderr)
                continue
            edition = next(e for e in plan.editions if e.language == lang)
            source.write(root, edition, plan.editions, dest, dest / "site", site_generator.prepare)
            threading.Thread(target=_pdfs, args=(root, plan, lang, docs), daemon=True).start()
    except KeyboardInterrupt:
        pass
    finally:
        server.terminate()
        server.wait()
    return server.returncode if server.returncode and server.returncode > 0 else 0

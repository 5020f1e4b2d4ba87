"""A local static host for tests: serves a built site on 127.0.0.1 at a sub-path, like a
school intranet or a static host would, and runs LinkChecker against it.

The host behaves like Netlify: a file that exists is served as it is (so an old page URL gets
its redirect page), and a missing path listed in the site's ``_redirects`` answers with that
rule's status and ``Location``. Everything outside the sub-path is 404.
"""
from __future__ import annotations

import csv
import functools
import http.server
import io
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit
from urllib.request import ProxyHandler, build_opener

#: LinkChecker settings: internal links and anchors only, no rate limit on our own host.
LINKCHECKER_RC = """\
[checking]
threads=4
timeout=10
maxrequestspersecond=1000
[filtering]
checkextern=1
ignore=
  ^(?!{origin}/)
[AnchorCheck]
"""


def read_redirects(site: Path) -> dict[str, tuple[str, int]]:
    """The rules of ``site/_redirects`` as ``{old_path: (new_path, status)}`` (comments and
    blank lines skipped)."""
    rules: dict[str, tuple[str, int]] = {}
    path = site / "_redirects"
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts and not parts[0].startswith("#"):
                rules[parts[0]] = (parts[1], int(parts[2]) if len(parts) > 2 else 302)
    return rules


class _Handler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"
    rules: dict[str, tuple[str, int]] = {}

    def end_headers(self) -> None:
        # LinkChecker throttles a host to 10 requests a second at most, and to fewer unless
        # the host sends this header (then `maxrequestspersecond` in LINKCHECKER_RC applies).
        self.send_header("LinkChecker", "local test host")
        super().end_headers()

    def log_message(self, *args) -> None:  # keep test output quiet
        pass

    def _route(self) -> bool:
        """Map the request onto the site folder; answer 404s and redirects here. Returns True
        when the request is fully answered."""
        path = unquote(urlsplit(self.path).path)
        if not path.startswith(self.prefix):
            self.send_error(404, "outside the site's sub-path")
            return True
        inner = "/" + path[len(self.prefix):]
        local = Path(self.translate_path(inner))
        if not local.exists() and path in self.rules:
            target, status = self.rules[path]
            self.send_response(status)
            self.send_header("Location", target)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        if local.is_dir() and not path.endswith("/"):
            self.send_response(301)
            self.send_header("Location", path + "/")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return True
        self.path = inner
        return False

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if not self._route():
            super().do_GET()

    def do_HEAD(self) -> None:  # noqa: N802 - http.server API
        if not self._route():
            super().do_HEAD()


@contextmanager
def serve(site: Path, prefix: str = "/", port: int = 0) -> Iterator[str]:
    """Serve ``site`` at ``http://127.0.0.1:<port><prefix>`` (``port`` 0: a free one) in a
    thread; yields that base URL (ending in ``/``) and stops the server on exit."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    handler = type("Handler", (_Handler,), {"prefix": prefix, "rules": read_redirects(site)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()


def fetch(url: str) -> tuple[str, bytes]:
    """GET ``url`` directly (never through a proxy), following HTTP redirects.

    Returns:
        ``(final_url, body)``.

    Raises:
        urllib.error.HTTPError: the final answer is not 2xx.
    """
    with build_opener(ProxyHandler({})).open(url, timeout=10) as resp:
        return resp.url, resp.read()


def linkcheck(base: str, start: list[str], workdir: Path, timeout: float = 120) -> list[dict]:
    """Run LinkChecker on the pages ``start`` (URLs) of the site served at ``base``: every
    link, stylesheet, script, image and anchor on our host is checked, recursively; anything
    on another host, ``mailto:`` and ``tel:`` is skipped. Returns one row per problem (broken
    link or missing anchor), as dicts with LinkChecker's CSV columns (``urlname``,
    ``parentname``, ``result``, ``warningstring``, ``valid`` …); ``[]`` when all is well.

    Raises:
        subprocess.TimeoutExpired: the check took longer than ``timeout`` seconds.
        RuntimeError: LinkChecker failed to run (its stderr is in the message).
    """
    origin = base.split("/", 3)
    origin = "/".join(origin[:3]).replace(".", r"\.")
    rc = workdir / "linkcheckerrc"
    rc.write_text(LINKCHECKER_RC.format(origin=origin), encoding="utf-8")
    exe = Path(sys.executable).with_name("linkchecker")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    proc = subprocess.run(
        [str(exe), "--config", str(rc), "--no-status", "--output", "csv", *start],
        capture_output=True, text=True, timeout=timeout, env=dict(env, LC_ALL="C.UTF-8", no_proxy="127.0.0.1"),
    )
    lines = [line for line in proc.stdout.splitlines() if line and not line.startswith("#")]
    if not lines:
        raise RuntimeError(f"linkchecker printed nothing (exit {proc.returncode}):\n{proc.stderr}")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines)), delimiter=";"))
    if proc.returncode not in (0, 1) or (proc.returncode == 1 and not rows):
        raise RuntimeError(f"linkchecker exit {proc.returncode}:\n{proc.stderr}")
    return rows

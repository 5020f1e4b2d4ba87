"""Live preview (``make serve``): the page first, and never paper older than the page.

``python -m macros serve [--lang es] [--generator zensical] [--dev-addr HOST:PORT]`` runs three
parts in one command:

* a **watch loop** over ``content/``, ``macros/``, ``docs/`` and ``overrides/`` (polled every
  :data:`POLL` seconds). On a save it reloads the content (only changed files are parsed again,
  :func:`macros.reader.yaml_reader.read_document`), renders only the pages whose inputs
  changed into the edition's source folder ``.build/serve/<lang>/docs/``, then hands the new
  plan to the PDF store. A content mistake prints the editor report; the last good pages and
  their PDFs stay up.
* the **site generator's own preview server** (``mkdocs serve --dirty``, or ``zensical
  serve``) on an internal port: it rebuilds the pages whose sources changed and reloads the
  browser. When the navigation (a title) or code (``macros/``, ``docs/``, ``overrides/``)
  changed, every page is built again (the MkDocs server builds in full when its configuration
  or :func:`_mark_full_build`'s mark changed; for Zensical every source is touched).
* a **front server** on the public address (:class:`FrontServer`): it forwards every request
  (pages, assets, MkDocs' livereload long-poll, Zensical's WebSocket) to the generator's server
  and answers the plan's PDF paths itself from ``.build/serve/<lang>/pdfs/`` (:class:`PdfStore`).
  A PDF whose inputs have not changed is sent at once. A PDF whose inputs changed is rendered
  in the background after the pages, and a request for it waits for the fresh one (rendered
  ahead of the others), so the link never answers "not found" and never sends old paper; after
  :data:`PDF_WAIT` seconds, or if the render failed, it answers 503 with a page that says why.

Stopping: Ctrl-C, SIGTERM or SIGHUP stops all three parts (:mod:`macros.stopping`)
and removes their temporary files.
The preview's processes keep their temporary files (WeasyPrint's font folders, the MkDocs
server's build folder, multiprocessing's sockets) in one folder of the system's temporary
directory named after the project and edition (:func:`temporary_folder`), which the next
preview of that edition clears: a preview killed outright does not leave them to pile up.

Known limits: Python code in ``macros/`` is not reloaded (restart the preview after changing
it; templates and styles are read afresh); with MkDocs, search results may list a page twice
after edits (Material's search index under ``--dirty``); the preview does not run the
generator's ``--strict`` checks (``make build`` does).
"""
from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from macros import stopping
from macros.build import content_bytes
from macros.loader import ContentError, load_toolkit
from macros.plan import BuildPlan, EditionPlan, make_plan
from macros.adapters import adapter, source

WATCHED = ("content", "macros", "docs", "overrides")
#: Seconds between two looks at the watched folders.
POLL = 0.1
#: Seconds a PDF request waits for its render before the front server answers 503.
PDF_WAIT = 60.0
#: Seconds after an edit before the PDFs nobody asked for are rendered: the generator builds
#: the pages first, without sharing the processor.
BACKGROUND_DELAY = 1.0
#: Most resource PDFs rendered in one go when nobody is waiting for one.
CHUNK = 6
#: Seconds the front server waits for the generator's server (MkDocs' livereload long-poll
#: answers within 60 s).
BACKEND_TIMEOUT = 120.0
#: Seconds the generator's server gets to stop after Ctrl-C before it is killed.
STOP_WAIT = 10.0
#: Headers that belong to one connection, never forwarded.
_HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade", "server", "date"}


def _stamp(root: Path) -> tuple:
    files = [p for folder in WATCHED for p in sorted((root / folder).rglob("*")) if p.is_file() and "__pycache__" not in p.parts]
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)


def _edition(plan: BuildPlan, lang: str) -> EditionPlan:
    return next(e for e in plan.editions if e.language == lang)


class PdfUnavailable(Exception):
    """A PDF of the plan cannot be sent now; the message says why, in words for the page."""


class PdfStore:
    """The PDFs of one language edition during the preview, never older than the content.

    Every PDF of the plan is either *fresh* (its file in ``folder`` was rendered from the
    current plan's inputs), *stale* (its inputs changed: a background thread renders it, a
    wanted one first) or *failed* (its render failed; the message is kept until its inputs
    change again). Paths are the edition's site paths without the language folder
    (``resources/<id>/<id>.pdf``). Thread-safe.

    Args:
        root: the project folder (its ``.cache/pdf`` is used).
        lang: the edition's language code.
        folder: where the fresh PDFs are kept (created).
    """

    def __init__(self, root: Path, lang: str, folder: Path):
        self.root, self.lang, self.folder = root, lang, folder
        self.staging = folder.parent / ".pdf-staging"
        self._cond = threading.Condition()
        self._plan: BuildPlan | None = None
        self._docs: dict = {}                # path -> plan Document
        self._stale: dict[str, int] = {}     # path -> the update that made it stale
        self._failed: dict[str, str] = {}    # path -> why its render failed
        self._wanted: dict[str, int] = {}    # path -> requests waiting for it
        self._update = 0
        self._updated_at = 0.0
        self._inputs: dict[str, bytes] = {}  # the content files' bytes the plan was loaded from
        self._held = False
        self._closing = False
        self._stop = threading.Event()       # set by close(): the render under way stops
        self._rendering = False              # a render (here or in a pool) is under way
        folder.mkdir(parents=True, exist_ok=True)
        threading.Thread(target=self._work, name="preview-pdfs", daemon=True).start()

    def hold(self) -> None:
        """A change was seen and the content is being reloaded: every PDF request waits until
        :meth:`update` (new content) or :meth:`release` (the change did not load)."""
        with self._cond:
            self._held = True

    def release(self) -> None:
        """The change did not load: the PDFs of the last good content are served again."""
        with self._cond:
            self._held = False
            self._cond.notify_all()

    def update(self, plan: BuildPlan, changed: set[str] | None, inputs: dict[str, bytes]) -> None:
        """Take a new plan, loaded from the content files whose bytes are ``inputs`` (project
        path -> bytes, :func:`macros.build.content_bytes`). The PDFs whose inputs include a file of ``changed`` (project
        paths such as ``content/resources/x.yml``; ``None``: everything changed, e.g. code)
        and the PDFs new to the plan become stale; PDFs gone from the plan are forgotten."""
        docs = {d.path: d for d in _edition(plan, self.lang).documents}
        with self._cond:
            self._update += 1
            self._inputs = inputs
            for path, doc in docs.items():
                if changed is None or path not in self._docs or changed & set(doc.inputs):
                    self._stale[path] = self._update
                    self._failed.pop(path, None)
            for gone in set(self._docs) - set(docs):
                self._stale.pop(gone, None)
                self._failed.pop(gone, None)
                (self.folder / gone).unlink(missing_ok=True)
            self._plan, self._docs, self._held = plan, docs, False
            self._updated_at = time.monotonic()
            self._cond.notify_all()

    def get(self, path: str, timeout: float = PDF_WAIT) -> bytes | None:
        """The fresh bytes of the PDF at ``path``, waiting up to ``timeout`` seconds for its
        render; ``None`` if the plan has no PDF there.

        Raises:
            PdfUnavailable: the render failed, or did not finish within ``timeout``.
        """
        with self._cond:
            self._wanted[path] = self._wanted.get(path, 0) + 1
            self._cond.notify_all()
            try:
                settled = self._cond.wait_for(
                    lambda: not self._held and (path not in self._docs or path in self._failed or path not in self._stale
),
                    timeout)
                if not settled:
                    raise PdfUnavailable(f"The PDF is still being made after {timeout:.0f} seconds. Reload this page in a moment.")
                if path not in self._docs:
                    return None
                if path in self._failed:
                    raise PdfUnavailable(f"The PDF could not be made: {self._failed[path]}")
                return (self.folder / path).read_bytes()
            finally:
                self._wanted[path] -= 1

    def close(self, timeout: float = 10.0) -> None:
        """The preview is stopping: start no more renders, ask the render under way to stop
        (``build_pdfs.build``'s ``stop``: after the PDF it is finishing, its pool's workers
        stopped) and wait up to ``timeout`` seconds for it to end. A render in this process
        holds WeasyPrint's font configuration, which removes its temporary folder only when it
        is freed before the process ends (a daemon thread's objects never are); a pool left to
        multiprocessing's exit function could still be starting a worker while the preview
        removes its temporary folder. A render that fails or stops as the preview's files are
        cleaned up is not reported."""
        with self._cond:
            self._closing = True
            self._stop.set()
            self._cond.notify_all()
            self._cond.wait_for(lambda: not self._rendering, timeout)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no PDF is stale (for tests and the benchmark). True if that happened
        within ``timeout`` seconds."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._held and not self._stale, timeout)

    # -- the render thread ---------------------------------------------------------------

    def _work(self) -> None:
        try:  # Linux: this thread, and the render processes it starts, yield to the page builds
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        import build_pdfs  # noqa: F401 - WeasyPrint loads now, not at the first edit
        import macros.pdf  # noqa: F401

        def ready() -> bool:
            """Something to render: a PDF someone waits for, or (pages first) any stale PDF
            once the generator has had :data:`BACKGROUND_DELAY` seconds for the pages."""
            if self._held or not self._stale or self._closing:
                return False
            return (any(self._wanted.get(p) for p in self._stale)
                    or time.monotonic() >= self._updated_at + BACKGROUND_DELAY)

        while True:
            with self._cond:
                while not ready():
                    idle = self._held or not self._stale or self._closing   # until notified
                    self._cond.wait(None if idle else max(0.01, self._updated_at + BACKGROUND_DELAY - time.monotonic()))
                plan, docs, stale, inputs = self._plan, dict(self._docs), dict(self._stale), self._inputs
                wanted = [p for p in stale if self._wanted.get(p)]
                only, jobs = self._choose(docs, stale, wanted)
                self._rendering = True
            try:
                done, failed = self._render(plan, inputs, only, jobs)
            except Exception as exc:  # noqa: BLE001 - the thread must live on; the readers are told
                done, failed = {}, {path: f"{type(exc).__name__}: {exc}" for path in stale}
            with self._cond:
                self._rendering = False
                for path in stale:
                    if self._stale.get(path) != stale[path]:
                        continue  # changed again meanwhile: this render is already old
                    if path in failed:
                        self._failed[path] = failed[path]
                        del self._stale[path]
                    elif path in done:
                        (self.folder / path).parent.mkdir(parents=True, exist_ok=True)
                        os.replace(done[path], self.folder / path)
                        del self._stale[path]
                self._cond.notify_all()

    @staticmethod
    def _choose(docs: dict, stale: dict[str, int], wanted: list[str]) -> tuple[list[str] | None, int | None]:
        """What to render next: ``(resource ids, or None for every PDF (packets included),
        worker processes or None for one per core)``. Wanted resources first; then the stale
        resources, :data:`CHUNK` at a time (so a wanted one never waits for many); packets
        last (they are assembled from their resources' PDFs)."""
        resources = [p for p in stale if docs[p].kind == "resource"]
        wanted_resources = [p for p in wanted if docs[p].kind == "resource"]
        if wanted_resources:
            only = [docs[p].ident for p in wanted_resources]
        elif resources and not any(docs[p].kind == "packet" for p in wanted):
            only = [docs[p].ident for p in resources[:CHUNK]]
        else:
            only = None
        count = len(only) if only is not None else len(stale)
        return only, (1 if count <= 3 else None)  # a few: in this (warm) process; many: a pool

    def _render(self, plan: BuildPlan, inputs: dict[str, bytes], only: list[str] | None,
                jobs: int | None) -> tuple[dict[str, Path], dict[str, str]]:
        """Render (or take from the cache) ``only`` (None: all) into the staging folder, the
        cache keyed on ``inputs`` (the bytes the plan was made from, not the files on disk,
        which may already hold a newer edit). Returns ``({path: staged file}, {path: why it
        failed})``."""
        import build_pdfs

        edition = _edition(plan, self.lang)
        by_name = {d.name: d.path for d in edition.documents}
        shutil.rmtree(self.staging, ignore_errors=True)
        try:
            result = build_pdfs.build(self.root, site_dir=self.staging, jobs=jobs, only=only, progress=False,
                                      plan=plan, languages=[self.lang], inputs=inputs, stop=self._stop)
        except Exception as exc:  # noqa: BLE001 - shown to whoever asks for these PDFs
            message = f"{type(exc).__name__}: {exc}"
            if not self._closing:
                print(f"PDF failed: {message}", file=sys.stderr)
            targets = [d.path for d in edition.documents if only is None or (d.kind == "resource" and d.ident in only)]
            return {}, {path: message for path in targets}
        failed = {by_name[name]: message for name, message in result.failed.items() if name in by_name}
        for name, message in result.failed.items():
            if not self._closing:
                print(f"PDF failed: {name}: {message}", file=sys.stderr)
        for name, message in result.warnings.items():
            if not self._closing:
                print(f"PDF warning: {name}: {message}", file=sys.stderr)
        done = {}
        if result.ok:
            for doc in edition.documents:
                staged = self.staging / edition.folder / doc.path
                if staged.is_file():
                    done[doc.path] = staged
            if result.rendered:
                print(f"PDFs: {len(result.rendered)} rendered ({', '.join(result.rendered)})", file=sys.stderr)
        return done, failed


class FrontServer(ThreadingHTTPServer):
    """The preview's public server: the plan's PDFs from a :class:`PdfStore`, everything else
    forwarded to the site generator's server at ``backend`` (``(host, port)``). ``mount`` is
    the edition's path on the server (``/``, ``/es/``)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], backend: tuple[str, int], mount: str, store: PdfStore):
        self.backend, self.mount, self.store = backend, mount, store
        super().__init__(address, _FrontHandler)


class _FrontHandler(BaseHTTPRequestHandler):
    server: FrontServer

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per request would drown the generator's messages

    def do_GET(self):
        try:
            self._answer()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went elsewhere (a reload) before the answer was sent

    def _answer(self) -> None:
        path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
        mount = self.server.mount
        if self.command in ("GET", "HEAD") and path.endswith(".pdf") and path.startswith(mount):
            try:
                data = self.server.store.get(path[len(mount):])
            except PdfUnavailable as exc:
                return self._reply(503, "text/html; charset=utf-8", _message_page(str(exc)), {"Retry-After": "2"})
            if data is not None:
                return self._reply(200, "application/pdf", data, {"Cache-Control": "no-store"})
        if self.headers.get("Upgrade"):
            return self._tunnel()
        self._forward()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_GET

    def _reply(self, status: int, ctype: str, data: bytes, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _forward(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) or None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP}
        deadline = time.monotonic() + 60  # the generator's first build may still be running
        while True:
            conn = http.client.HTTPConnection(*self.server.backend, timeout=BACKEND_TIMEOUT)
            try:
                conn.request(self.command, self.path, body, headers)
                response = conn.getresponse()
                data = response.read()
                break
            except ConnectionRefusedError:
                conn.close()
                if time.monotonic() > deadline:
                    return self._reply(502, "text/html; charset=utf-8", _message_page("The site generator is not answering."))
                time.sleep(0.2)
            except OSError as exc:
                conn.close()
                return self._reply(502, "text/html; charset=utf-8", _message_page(f"The site generator did not answer: {exc}"))
        conn.close()
        self.send_response(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in _HOP and key.lower() != "content-length":
                self.send_header(key, value)
        self.send_header("Content-Length", response.getheader("Content-Length", "0") if self.command == "HEAD" else str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _tunnel(self) -> None:
        """A protocol upgrade (Zensical's live-reload WebSocket): pass the bytes both ways."""
        try:
            upstream = socket.create_connection(self.server.backend, timeout=10)
        except OSError:
            return self._reply(502, "text/html; charset=utf-8", _message_page("The site generator is not answering."))
        upstream.settimeout(None)
        head = self.requestline + "\r\n" + "".join(f"{k}: {v}\r\n" for k, v in self.headers.items()) + "\r\n"
        upstream.sendall(head.encode("latin-1"))

        def pump(read, write) -> None:
            try:
                while chunk := read(65536):
                    write(chunk)
            except OSError:
                pass
            finally:
                for s in (upstream, self.connection):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass

        back = threading.Thread(target=pump, args=(upstream.recv, self.connection.sendall), daemon=True)
        back.start()
        pump(self.rfile.read1, upstream.sendall)
        back.join()
        upstream.close()
        self.close_connection = True


def _message_page(text: str) -> bytes:
    from markupsafe import escape

    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>PDF not ready</title></head>'
            f"<body><h1>PDF not ready</h1><p>{escape(text)}</p></body></html>").encode("utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(root: Path, lang: str = "en", generator: str = "mkdocs", address: str = "127.0.0.1:8000") -> int:
    """Serve a live preview of edition ``lang`` at ``address`` (``host:port``) until
    interrupted (see the module docstring). Returns the exit code: 2 if the content does not
    load at the start, the generator server's own code if it stops by itself with an error,
    else 0 (also when stopped, at any moment, by Ctrl-C, SIGTERM or SIGHUP).

    Raises:
        ValueError: ``generator`` is not a known site generator.
        OSError: ``address`` cannot be listened on.
    """
    root = Path(root).resolve()
    site_generator = adapter(generator)
    stopping.stop_on_signals()
    store = front = server = None
    try:
        seen = _stamp(root)
        inputs = content_bytes(root)
        try:
            plan = make_plan(load_toolkit(root))
        except ContentError as exc:
            print(exc.report(), file=sys.stderr)
            return 2
        edition = _edition(plan, lang)
        dest = root / ".build" / "serve" / lang
        shutil.rmtree(dest, ignore_errors=True)  # nothing left from an earlier preview (or code)
        _keep_temporary_files_in(temporary_folder(root, lang))
        if hasattr(site_generator, "prepare_serve"):
            prepare = lambda cfg, root: site_generator.prepare_serve(cfg, root, dest)  # noqa: E731
        else:
            prepare = site_generator.prepare
        config_file = source.write(root, edition, plan.editions, dest, dest / "site", prepare)
        docs = dest / "docs"
        store = PdfStore(root, lang, dest / "pdfs")
        store.update(plan, None, inputs)

        host, _, port = address.rpartition(":")
        backend = ("127.0.0.1", _free_port())
        mount = urllib.parse.urlsplit(edition.site_url).path or "/"
        front = FrontServer((host or "127.0.0.1", int(port)), backend, mount, store)
        threading.Thread(target=front.serve_forever, name="preview-front", daemon=True).start()
        # In a process group of its own: Ctrl-C reaches it from this process, once it can take
        # it (STOP_SIGNAL), not from the terminal while it is still starting.
        server = subprocess.Popen(site_generator.serve_command(config_file, f"{backend[0]}:{backend[1]}"), cwd=dest,
                                  env=dict(os.environ, NO_MKDOCS_2_WARNING="1",
                                           PYTHONPATH=os.pathsep.join([str(root), *filter(None, [os.environ.get("PYTHONPATH")])])),
                                  process_group=0)
        threading.Thread(target=_announce, args=(backend, f"http://{host or '127.0.0.1'}:{port}{mount}"), daemon=True).start()
        while server.poll() is None:
            time.sleep(POLL)
            now = _stamp(root)
            if now == seen:
                continue
            changed = {Path(p).relative_to(root).as_posix() for p, *_ in set(now) ^ set(seen)}
            seen = now
            store.hold()  # from now until the new plan, no PDF request gets the old paper
            inputs = content_bytes(root)
            try:
                plan = make_plan(load_toolkit(root))
                if content_bytes(root) != inputs:
                    continue  # saved again while loading: load once more (the stamp has changed)
            except ContentError as exc:
                print(exc.report().replace("nothing was built", "the preview keeps the last good pages and PDFs"),
                      file=sys.stderr, flush=True)
                store.release()
                continue
            code = any(not c.startswith("content/") for c in changed)
            edition = _edition(plan, lang)
            pages = None if code else [p for p in edition.pages if changed & set(p.inputs)]
            if code:
                _mark_full_build(docs)  # the theme or code changed: every page is built again
            nav_before = config_file.read_bytes()
            source.write(root, edition, plan.editions, dest, dest / "site", prepare, pages)
            if (code or config_file.read_bytes() != nav_before) and not getattr(site_generator, "FULL_BUILD_ON_CONFIG", False):
                _touch_all(docs)  # the navigation or the theme changed: every page is built again
            store.update(plan, None if code else changed, inputs)
    except KeyboardInterrupt:
        pass
    finally:
        with stopping.ignored():
            if store is not None:
                store.close()
            if front is not None:
                front.shutdown()
                front.server_close()
            if server is not None:
                _stop_server(server, getattr(site_generator, "STOP_SIGNAL", signal.SIGINT))
    return server.returncode if server is not None and server.returncode and server.returncode > 0 else 0


def _stop_server(server: subprocess.Popen, sig: int) -> None:
    """Stop the generator's server with ``sig`` (the one it cleans up on), killing it if it
    has not ended after :data:`STOP_WAIT` seconds."""
    if server.poll() is None:
        server.send_signal(sig)
    try:
        server.wait(timeout=STOP_WAIT)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def temporary_folder(root: Path, lang: str) -> Path:
    """The folder for the temporary files of the preview of edition ``lang`` of the project at
    ``root``: in the system's temporary directory, named after both, so the next preview of
    that edition finds what a killed one left; a preview that stops cleanly leaves it empty.
    Not inside the project, to keep it short: a Unix socket's path, which multiprocessing puts
    there, may not exceed 107 bytes on Linux. A second preview of the same project and edition
    started while one runs takes the folder over (as it does ``.build/serve/<lang>/``)."""
    digest = hashlib.sha256(str(Path(root).resolve()).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"wbl-serve-{lang}-{digest}"


def _keep_temporary_files_in(folder: Path) -> None:
    """Point this process's temporary files, and those of every process it starts from now on
    (``TMPDIR``), at ``folder``, emptied first (what a killed preview left there goes)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)


def _announce(backend: tuple[str, int], url: str) -> None:
    """Print the preview's address once the generator's server answers (after its own
    "Serving on" line, which names the internal address)."""
    for _ in range(600):
        try:
            socket.create_connection(backend, timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    time.sleep(0.2)
    print(f"\nPreview: {url}  (open this address; the generator's own address is internal)\n", file=sys.stderr, flush=True)


def _mark_full_build(docs: Path) -> None:
    """Make the MkDocs server build every page at its next build, not only the changed
    sources (:data:`~macros.adapters.mkdocs_live.FULL_BUILD_MARK`)."""
    from macros.adapters.mkdocs_live import FULL_BUILD_MARK

    (docs / FULL_BUILD_MARK).write_text(str(time.time_ns()), encoding="utf-8")


def _touch_all(docs: Path) -> None:
    """Mark every page source as changed, for a generator that rebuilds only changed sources
    and does not build everything again by itself when the configuration changes (Zensical,
    as far as we know)."""
    now = time.time()
    for page in docs.rglob("*.md"):
        os.utime(page, (now, now))

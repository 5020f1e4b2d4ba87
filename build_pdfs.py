#!/usr/bin/env python3
"""Render every toolkit resource to a print-ready PDF and publish it into the built site.

Usage::

    python build_pdfs.py [--site-dir site] [--jobs N] [--force] [--only ID ...]

Steps, top to bottom:

1. load and validate ``content/`` (a content problem stops here, exit 2);
2. render each resource's print HTML (same partial templates as its web page);
3. render the PDFs in ``--jobs`` worker processes (default: one per core), skipping any whose
   print HTML, CSS, fonts and library versions are unchanged since the last run (cache in
   ``.cache/pdf/``; ``--force`` renders all);
4. check each PDF's accessibility structure (:mod:`macros.pdf_check`) and its resource's
   ``max_pages``;
5. assemble each activity's packet from its resources' finished PDFs as soon as they are all
   there (only the cover, contents and running footer are laid out: :mod:`macros.pdf_packet`),
   and check it the same way;
6. only if every PDF succeeded, write them into ``<site-dir>/resources/<id>/<id>.pdf`` and
   ``<site-dir>/activities/<id>/<id>-packet.pdf`` (each file replaced atomically). A failure names the resource and its file, leaves the
   previously published PDFs untouched and exits 1.
"""
from __future__ import annotations

if __name__ == "__main__":   # Ctrl-C while the command is still importing: no traceback
    from macros import stopping

    stopping.while_starting()

import argparse
import hashlib
import os
import re
import signal
import sys
import tempfile
import threading
import time
import functools
import multiprocessing
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))

from macros import stopping  # noqa: E402
from macros.atomic import write_atomically  # noqa: E402
from macros.loader import ContentError, Toolkit, load_toolkit  # noqa: E402

CACHE_DIR = ROOT / ".cache" / "pdf"


@dataclass
class _Job:
    """One PDF to produce: ``name`` (resource id, or ``packet:<activity-id>``; ``<lang>:``
    first for other languages), its field descriptions, where it goes in the site, the
    content file it comes from, and ``(edition, resource id)`` whose ``max_pages`` it must
    respect (None for packets); ``make_html()`` renders a resource's print HTML."""

    name: str
    descriptions: dict[str, str]
    site_path: str
    source: str
    budget: tuple[Toolkit, str, Toolkit] | None   # (edition, resource id, the content as loaded)
    max_pages: int | None = None
    cache_path: Path = Path()
    make_html: object = None
    key_parts: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    #: packets: the names of the resource PDFs it is made of, and a function of
    #: ``{resource id: pdf bytes}`` giving its :class:`macros.pdf_packet.PacketWork`
    parts: list = field(default_factory=list)
    make_packet: object = None
    #: False for a resource rendered only because a packet of this shard needs it
    publish: bool = True


@dataclass
class Result:
    """Outcome of :func:`build`: PDFs rendered, PDFs reused from the cache, failures and
    warnings (a translated sheet published past its page budget,
    :func:`macros.pdf.check_page_budget`) as ``{name: message}`` in plan order, page counts as
    ``{name: pages}``, wall time in seconds. Names are resource ids, and
    ``packet:<activity-id>`` for activity packets, prefixed ``<lang>:`` for languages other
    than English."""

    rendered: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    warnings: dict[str, str] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        """True when no resource failed."""
        return not self.failed


def _environment_key() -> str:
    """Everything outside the print HTML that changes a PDF: library versions and font files.
    (Versions read from the installed packages' metadata: this process never imports
    WeasyPrint, which takes a second; the PDF workers do.)"""
    from importlib.metadata import version

    from macros import render

    import pikepdf

    parts = [version("weasyprint"), version("pydyf"), pikepdf.__version__, pikepdf.__libqpdf_version__]
    # The code that renders and post-processes: a change to it re-renders every PDF.
    for source in sorted((ROOT / "macros").glob("pdf*.py")):
        parts.append(hashlib.sha256(source.read_bytes()).hexdigest())
    for _, _, path in render.font_files():
        parts.append(hashlib.sha256(path.read_bytes()).hexdigest())
    return "|".join(parts)


#: Renders a worker process does before it is replaced by a fresh one (memory stays bounded;
#: a replacement starts warm, see :func:`start_workers_early`).
WORKER_TASKS = 20

#: Modules the worker processes' forkserver imports before it forks them: the first makes it
#: ignore Ctrl-C (:mod:`macros.pdf_server`); the last one warms WeasyPrint up
#: (:mod:`macros.pdf_warm`), so no worker pays for that on its first PDF.
WORKER_PRELOAD = ["macros.pdf_server", "macros.pdf", "macros.pdf_fetch", "macros.pdf_check", "macros.pdf_packet", "macros.pdf_warm"]


def start_workers_early():
    """Start the PDF workers' forkserver now, in the background (it imports WeasyPrint and
    warms it up: about 1.5 s CPU), so that work overlaps whatever the caller does next (loading
    the content, building the pages). Idempotent. Returns the multiprocessing context to
    make the worker pool with."""
    from multiprocessing import forkserver, util

    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_PRELOAD)
    # Ctrl-C blocked while the server starts (it keeps the blocked signal mask, and ignores
    # Ctrl-C once it runs macros/pdf_server.py): one pressed meanwhile interrupts this command
    # when it is unblocked here, not the server's own start-up with a traceback.
    old_mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old_mask)
    if not _stop_at_exit:
        # run by multiprocessing's own exit function after the pools it terminates (priority
        # 15): a pool still running would ask the server for new workers while it stops
        _stop_at_exit.append(util.Finalize(None, _stop_workers_server, exitpriority=0))
    return ctx


_stop_at_exit: list = []


def _stop_workers_server() -> None:
    """At exit: ask the PDF workers' server to stop and wait until it has, so a command ends
    after its helpers (the server removes WeasyPrint's temporary font folder as it exits; left
    to itself it exits a moment after the command, when it notices). Uses CPython's
    ``multiprocessing.forkserver._forkserver._stop`` (there since 3.8, private: skipped if
    missing); it closes the server's "alive" pipe and waits for the process."""
    from multiprocessing import forkserver

    stop = getattr(getattr(forkserver, "_forkserver", None), "_stop", None)
    if stop is not None:
        with stopping.ignored():   # a Ctrl-C now would break the wait
            try:
                stop()
            except OSError:
                pass


class Stopped(Exception):
    """A PDF build was asked to stop (:func:`build`'s ``stop``)."""


def _jobs_for(plan, only: list[str] | None) -> list[_Job]:
    """The PDFs of the build plan (:mod:`macros.plan`) as render jobs, in plan order, or just
    the resources in ``only`` (no packets). Each resource job renders its print HTML only when
    asked (``make_html``), with its edition's one renderer; each packet job names the resource
    PDFs it is assembled from (``parts``) and makes its work from them (``make_packet``,
    :mod:`macros.pdf_packet`).

    Raises:
        KeyError: an id in ``only`` is not a resource.
    """
    from macros import pdf, pdf_packet

    for rid in only or []:
        plan.toolkit.resources[rid]  # KeyError for unknown ids
    out = []
    for edition, doc in plan.documents():
        if only and (doc.kind != "resource" or doc.ident not in only):
            continue
        tk = edition.toolkit
        if doc.kind == "packet":
            job = _Job(doc.name, {}, edition.folder + doc.path, doc.source, None,
                       make_packet=functools.partial(pdf_packet.packet_work, edition.renderer, doc.ident))
            lang = doc.name[: -len(f"packet:{doc.ident}")]   # "" or "es:"
            job.parts = [lang + rid for rid in tk.activities[doc.ident].resource_ids]
        else:
            job = _Job(doc.name, edition.renderer.field_descriptions(doc.ident), edition.folder + doc.path,
                       doc.source, (tk, doc.ident, plan.toolkit), max_pages=doc.max_pages,
                       make_html=functools.partial(pdf.print_html, edition.renderer, doc.ident))
        job.key_parts = [edition.language, edition.site_url]
        job.inputs = list(doc.inputs)
        out.append(job)
    return out


def _code_key(root: Path) -> str:
    """A hash of the code, templates, stylesheets and npm lock that turn content into PDFs."""
    digest = hashlib.sha256()
    files = [*sorted((root / "macros").rglob("*")), root / "build_pdfs.py", root / "package-lock.json"]
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _inputs_fingerprint(root: Path, env_key: str, options: list) -> str:
    """A hash of everything a PDF is made from: content files, templates, CSS, the Python code,
    fonts and library versions (``env_key``), the site URL and the build options."""
    digest = hashlib.sha256("\0".join([env_key, os.environ.get("TOOLKIT_SITE_URL", ""), repr(options)]).encode())
    files = [*sorted((root / "content").rglob("*")), *sorted((root / "macros").rglob("*")), root / "build_pdfs.py",
             root / "package-lock.json"]  # the emoji font's version
    for path in files:
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _manifest_hit(cache: Path, fingerprint: str) -> dict[str, dict] | None:
    """``{name: {"site": site path, "cache": cache file}}`` from the last successful run if its
    inputs were the same and every cached PDF is still there; else None."""
    import json

    try:
        data = json.loads((cache / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    files = data.get("files", {}) if data.get("fingerprint") == fingerprint else {}
    if files and all((cache / entry["cache"]).is_file() for entry in files.values()):
        return files
    return None


def _manifest_save(cache: Path, fingerprint: str, files: dict[str, str]) -> None:
    import json

    write_atomically(cache / "manifest.json", json.dumps({"fingerprint": fingerprint, "files": files}, indent=1).encode("utf-8"))


def _render_safely(args: tuple) -> tuple[str, object]:
    """Worker wrapper: ``(name, (name, pdf_bytes, pages))`` or ``(name, exception)``."""
    try:
        return args[0], _render_one(*args)
    except Exception as exc:  # noqa: BLE001 - returned to the parent, reported per PDF
        return args[0], RuntimeError(f"{type(exc).__name__}: {exc}")


def _render_packet_safely(args: tuple) -> tuple[str, object]:
    """Worker: ``(name, PacketWork)`` -> ``(name, (name, pdf_bytes, pages))`` or
    ``(name, exception)``; the packet is checked like every PDF."""
    name, work = args
    try:
        import io

        from macros import pdf
        from macros.pdf_check import check_pdf

        data, pages = work.render()
        problems = check_pdf(io.BytesIO(data))
        if problems:
            raise pdf.RenderProblem("the PDF fails accessibility checks: " + "; ".join(problems))
        return name, (name, data, pages)
    except Exception as exc:  # noqa: BLE001 - returned to the parent, reported per PDF
        return name, RuntimeError(f"{type(exc).__name__}: {exc}")


def _render_one(resource_id: str, html: str, descriptions: dict[str, str], max_pages: int | None = None) -> tuple[str, bytes, int]:
    """Worker: print HTML -> ``(id, pdf_bytes, pages)``. Runs in a separate process.

    If its layout is longer than ``max_pages``, or ends on a stray page (a few lines on a last
    sheet, :data:`macros.pdf.STRAY_PAGE`), it is laid out once more with the compact print
    style (slightly smaller type and spacing, :data:`macros.pdf.COMPACT`) — enough for a
    translation that runs a little longer than the English — and only the layout kept is
    written (:func:`macros.pdf.choose_layout`); the page budget is checked after."""
    import io

    from macros import pdf
    from macros.pdf_check import check_pdf

    if html is None:  # its print HTML could not be rendered: ``descriptions`` says why
        raise pdf.RenderProblem(f"the print HTML could not be made: {descriptions}")
    data, pages = pdf.first_that_fits([html, pdf.compact(html)], max_pages, descriptions)
    problems = check_pdf(io.BytesIO(data))
    if problems:
        raise pdf.RenderProblem("the PDF fails accessibility checks: " + "; ".join(problems))
    return resource_id, data, pages


def build(
    root: Path = ROOT,
    site_dir: Path | None = None,
    jobs: int | None = None,
    force: bool = False,
    only: list[str] | None = None,
    shard: tuple[int, int] | None = None,
    progress: bool = True,
    plan=None,
    languages: list[str] | None = None,
    inputs: dict[str, bytes] | None = None,
    stop: threading.Event | None = None,
) -> Result:
    """Render PDFs and publish them into ``site_dir`` (default ``root/site``).

    Args:
        jobs: worker processes (default ``os.cpu_count()``); 1 renders in this process.
        force: ignore the cache and render every PDF.
        only: render just these resource ids, and no packets (default: every resource in
            toolkit order, and every activity's packet).
        shard: ``(k, n)`` renders only the k-th of n deterministic shares (1-based) of the
            PDFs, so CI runners can split the work; merging every shard's ``site_dir`` gives
            exactly the full set. See :func:`shard_of`.
        plan: the build plan (:func:`macros.plan.make_plan`) of content already loaded (the
            whole build passes its own, so the content is loaded once). Default: load
            ``root/content`` and plan it here. English PDFs go to ``site_dir``, each other
            language's under ``site_dir/<lang>/``.
        languages: the languages to render (default: all).
        inputs: the bytes of the content files ``plan`` was loaded from (project path ->
            bytes), for the cache keys. Default: read the files from disk, which is right
            unless they may have changed since ``plan`` was made (the live preview passes the
            bytes it loaded: a PDF rendered from an older plan must not be cached under the
            newer files' key).
        stop: when this event is set (from another thread), the build stops after the PDF
            being finished, its workers are stopped and :class:`Stopped` is raised.

    Returns:
        a :class:`Result`; PDF names are resource ids and ``packet:<activity-id>``, prefixed
        ``<lang>:`` for languages other than English. Nothing is written to ``site_dir``
        unless ``Result.ok``.

    Raises:
        ContentError: the content does not validate.
        KeyError: an id in ``only`` is not a resource.
        Stopped: ``stop`` was set.
    """
    from macros import pdf

    started = time.monotonic()
    site_dir = Path(site_dir or root / "site")
    env_key = _environment_key()
    cache = CACHE_DIR if root == ROOT else root / ".cache" / "pdf"
    cache.mkdir(parents=True, exist_ok=True)

    # Nothing that a PDF depends on changed since the last run: publish the cached PDFs without
    # loading the content or rendering any HTML.
    fingerprint = None
    if plan is None and not force:
        fingerprint = _inputs_fingerprint(root, env_key, [languages, only, shard])
        hit = _manifest_hit(cache, fingerprint)
        if hit is not None:
            for entry in hit.values():
                write_atomically(site_dir / entry["site"], (cache / entry["cache"]).read_bytes())
            return Result(cached=list(hit), seconds=time.monotonic() - started)

    if plan is None:
        from macros.plan import make_plan

        if (jobs or os.cpu_count() or 1) > 1:
            start_workers_early()   # the workers' server warms up while the content loads
        plan = make_plan(load_toolkit(root), languages)
    jobs_list = _jobs_for(plan, only)
    if languages:
        jobs_list = [job for job in jobs_list if job.key_parts[0] in languages]
    code_key = _code_key(root)
    if shard:
        by_name = {job.name: job for job in jobs_list}
        jobs_list = [job for job in jobs_list if shard_of(job.name, shard[1]) == shard[0]]
        # a packet is made from its resources' PDFs: render (or reuse) those too, unpublished
        mine = {job.name for job in jobs_list}
        for needed in dict.fromkeys(p for job in list(jobs_list) for p in job.parts):
            if needed not in mine:
                by_name[needed].publish = False
                jobs_list.append(by_name[needed])
                mine.add(needed)

    result = Result()
    # Each PDF of this build is held as a file (a hard link to its cache file), not in memory:
    # at 50× the content that is thousands of PDFs, hundreds of MB. Held apart from the cache,
    # so another build that replaces a cache file meanwhile cannot take it away.
    _remove_abandoned_holds(cache)
    held = tempfile.TemporaryDirectory(prefix=".held-", dir=cache)
    outputs: dict[str, Path] = {}   # name -> its held file
    todo: dict[str, _Job] = {}
    file_bytes: dict[str, bytes] = {}

    def read(rel: str) -> bytes:
        if inputs is not None:
            return inputs.get(rel, b"")
        if rel not in file_bytes:
            file_bytes[rel] = (root / rel).read_bytes() if (root / rel).is_file() else b""
        return file_bytes[rel]

    for job in jobs_list:
        # The cache key comes from what the PDF is made of (its content files, the code,
        # templates, CSS, fonts, library versions, language and site URL), so an unchanged PDF
        # is recognised without rendering its HTML.
        digest = hashlib.sha256("\0".join([env_key, code_key, *map(str, job.key_parts)]).encode("utf-8"))
        for rel in sorted(set(job.inputs)):
            digest.update(rel.encode() + b"\0" + read(rel))
        key = digest.hexdigest()[:32]
        job.cache_path = cache / f"{job.name.replace(':', '--')}-{key}.pdf"
        if not force and job.cache_path.exists() and _hold(job.cache_path, Path(held.name), outputs, job.name):
            if job.publish:
                result.cached.append(job.name)
            _warn_again(job, outputs[job.name], result)
        else:
            todo[job.name] = job   # its print HTML is rendered as it is handed to a worker

    def finished(name: str, data: bytes, pages: int) -> None:
        job = todo[name]
        if job.budget is not None:
            try:
                edition, rid, source = job.budget
                warning = pdf.check_page_budget(edition, rid, pages, source)
            except pdf.PageBudgetExceeded as exc:
                result.failed[name] = str(exc)
                return
            if warning:   # a lagging translation runs over: published, and said
                result.warnings[name] = warning
        result.pages[name] = pages
        if job.publish:
            result.rendered.append(name)
        for stale in _cached_versions(cache, name):
            stale.unlink(missing_ok=True)
        write_atomically(job.cache_path, data)
        if not _hold(job.cache_path, Path(held.name), outputs, name):
            write_atomically(Path(held.name) / job.cache_path.name, data)
            outputs[name] = Path(held.name) / job.cache_path.name

    def failed(name: str, exc: Exception) -> None:
        what = str(exc) if isinstance(exc, RuntimeError) else f"{type(exc).__name__}: {exc}"
        result.failed[name] = f"{todo[name].source}: {what}"

    # Resources first; each packet is assembled from its resources' finished PDFs (no second
    # layout, macros/pdf_packet.py) as soon as they are all there.
    resources = {name: job for name, job in todo.items() if job.make_packet is None}
    packets = {name: job for name, job in todo.items() if job.make_packet is not None}

    def ready_packets() -> list[tuple[str, object]]:
        """Packets whose resources are all done, as worker arguments (``[]`` if one failed)."""
        out = []
        for name, job in list(packets.items()):
            if any(p in resources and p not in outputs and p not in result.failed for p in job.parts):
                continue
            del packets[name]
            missing = [p for p in job.parts if p not in outputs]
            if missing:
                result.failed[name] = f"{job.source}: not made, because {', '.join(missing)} failed"
                reporter.advance(name)
                continue
            try:
                rid_of = {p: p.rsplit(":", 1)[-1] for p in job.parts}
                out.append((name, job.make_packet({rid_of[p]: outputs[p].read_bytes() for p in job.parts})))
            except Exception as exc:  # noqa: BLE001 - reported per PDF
                failed(name, exc)
                reporter.advance(name)
        return out

    reporter = _Progress(len(todo), enabled=progress and bool(todo))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))

    def check_stop() -> None:
        if stop is not None and stop.is_set():
            raise Stopped("the PDF build was stopped")

    if workers == 1:
        for name, job in resources.items():
            check_stop()
            try:
                finished(*_render_one(name, job.make_html(), job.descriptions, job.max_pages))
            except Exception as exc:  # noqa: BLE001 - reported per PDF
                failed(name, exc)
            reporter.advance(name)
        for name, outcome in map(_render_packet_safely, ready_packets()):
            failed(name, outcome) if isinstance(outcome, Exception) else finished(*outcome)
            reporter.advance(name)
            check_stop()
    elif todo:
        # Worker processes forked from a clean server that has already imported WeasyPrint (it
        # ignores Ctrl-C, as they do: this process stops them), and recycled after WORKER_TASKS
        # renders so memory stays bounded however many PDFs there
        # are. (multiprocessing.Pool, not ProcessPoolExecutor: the latter's max_tasks_per_child
        # can hang on Python 3.11 when workers are replaced, CPython gh-115634.)
        ctx = start_workers_early()

        def args():
            """Worker arguments, each resource's print HTML rendered only as the pool takes
            it (in the pool's feeder thread, while the workers render the ones before)."""
            for name, job in resources.items():
                try:
                    html = job.make_html()
                except Exception as exc:  # noqa: BLE001 - reported per PDF
                    yield name, None, str(exc), None
                    continue
                yield name, html, job.descriptions, job.max_pages
        with ctx.Pool(processes=workers, maxtasksperchild=WORKER_TASKS) as pool:
            pending = []

            def submit() -> None:
                pending.extend(pool.apply_async(_render_packet_safely, (work,)) for work in ready_packets())

            submit()   # packets whose resources all came from the cache
            for name, outcome in pool.imap_unordered(_render_safely, args()):
                if isinstance(outcome, Exception):
                    failed(name, outcome)
                else:
                    finished(*outcome)
                reporter.advance(name)
                check_stop()   # leaving the block stops the workers
                submit()
            for async_result in pending:
                name, outcome = async_result.get()
                if isinstance(outcome, Exception):
                    failed(name, outcome)
                else:
                    finished(*outcome)
                reporter.advance(name)
                check_stop()
    reporter.close()

    published = [job for job in jobs_list if job.publish]
    if result.ok:
        for job in published:
            write_atomically(site_dir / job.site_path, outputs[job.name].read_bytes())
        if fingerprint:
            _manifest_save(cache, fingerprint, {job.name: {"site": job.site_path, "cache": job.cache_path.name} for job in published})
    held.cleanup()
    order = {job.name: i for i, job in enumerate(jobs_list)}
    result.rendered.sort(key=order.__getitem__)
    # reported in plan order (English before its translations), not in the order the PDFs
    # happened to finish: the same build always prints the same messages in the same order
    result.failed = dict(sorted(result.failed.items(), key=lambda kv: _report_order(kv[0], order)))
    result.warnings = dict(sorted(result.warnings.items(), key=lambda kv: _report_order(kv[0], order)))
    result.seconds = time.monotonic() - started
    return result


def _warn_again(job: _Job, pdf_file: Path, result: Result) -> None:
    """A PDF reused from the cache says again what it said when it was made: a translated
    sheet published past its page budget (:func:`macros.pdf.check_page_budget`) is reported
    by every build until it fits, not only by the one that rendered it. Only translated
    sheets are opened (to count their pages)."""
    from macros import pdf

    if job.budget is None:
        return
    edition, rid, source = job.budget
    if edition is source:
        return
    import pikepdf

    with pikepdf.open(pdf_file) as opened:
        pages = len(opened.pages)
    warning = pdf.check_page_budget(edition, rid, pages, source)   # a translated sheet: never raises
    if warning:
        result.warnings[job.name] = warning


def _report_order(name: str, order: dict[str, int]) -> tuple[bool, int]:
    """Where a PDF's message comes in a report: resources in plan order (English before its
    translations), then packets (a packet that could not be made names the resource that
    failed, which comes first)."""
    return "packet:" in name, order.get(name, len(order))


#: A held-PDFs folder older than this (seconds) belongs to a build that was killed.
ABANDONED_AFTER = 24 * 3600


def _remove_abandoned_holds(cache: Path) -> None:
    """Remove the held-PDFs folders (``.held-*``) of builds killed before they could clean up
    (older than :data:`ABANDONED_AFTER`; a running build's folder is younger)."""
    import shutil

    now = time.time()
    for folder in cache.glob(".held-*"):
        try:
            if now - folder.stat().st_mtime > ABANDONED_AFTER:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass


def _hold(path: Path, folder: Path, outputs: dict[str, Path], name: str) -> bool:
    """Hard-link (or, where links are not possible, copy) the cache file ``path`` into
    ``folder`` and record it as ``outputs[name]``. False if ``path`` is gone meanwhile."""
    import shutil

    dest = folder / path.name
    try:
        try:
            os.link(path, dest)
        except FileExistsError:
            pass
        except OSError:
            shutil.copyfile(path, dest)
    except FileNotFoundError:
        return False
    outputs[name] = dest
    return True


def shard_of(name: str, shards: int) -> int:
    """The shard (1…``shards``) a PDF belongs to: from a hash of its name only, so it does not
    depend on the order, the machine or the other PDFs. ``name`` is a resource id or
    ``packet:<activity-id>``."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % shards + 1


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` -> ``(2, 4)``. Raises ValueError unless 1 <= k <= n."""
    k, _, n = text.partition("/")
    k_i, n_i = int(k), int(n)
    if not 1 <= k_i <= n_i:
        raise ValueError(f"shard {text!r}: use K/N with 1 <= K <= N")
    return k_i, n_i


def _cached_versions(cache: Path, name: str) -> list[Path]:
    """Every cached PDF of ``name`` (``<name>-<32 hex digits>.pdf``, ``:`` written ``--``),
    and no other: the cache of ``foo`` must not take ``foo-bar``'s files."""
    stem = name.replace(":", "--")
    pattern = re.compile(re.escape(stem) + r"-[0-9a-f]{32}\.pdf")
    return [p for p in cache.glob(f"{stem}-*.pdf") if pattern.fullmatch(p.name)]


class _Progress:
    """A rich progress bar on a terminal, one line per PDF otherwise (CI logs)."""

    def __init__(self, total: int, enabled: bool):
        self.enabled = enabled
        self.done = 0
        self.total = total
        self.bar = None
        if enabled and sys.stderr.isatty():
            from rich.progress import Progress

            self.bar = Progress(transient=False)
            self.task = self.bar.add_task("Rendering PDFs", total=total)
            self.bar.start()

    def advance(self, rid: str) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.advance(self.task)
        elif self.enabled:
            print(f"  [{self.done}/{self.total}] {rid}", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry. Exit codes: 0 success, 1 a PDF failed, 2 content problems, 130
    stopped with Ctrl-C."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site-dir", type=Path, default=ROOT / "site", help="built site to publish PDFs into (default: site/)")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="worker processes (default: one per core)")
    parser.add_argument("--force", action="store_true", help="render every PDF, ignoring the cache")
    parser.add_argument("--only", nargs="+", metavar="ID", help="render only these resource ids")
    parser.add_argument("--shard", metavar="K/N", help="render only the K-th of N deterministic shares of the PDFs (for CI fan-out); merge the shards' site dirs afterwards")
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress output")
    args = parser.parse_args(argv)
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be 1 or more")
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as exc:
        parser.error(str(exc))
    try:
        result = build(site_dir=args.site_dir, jobs=args.jobs, force=args.force, only=args.only, shard=shard, progress=not args.quiet)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 2
    except KeyError as exc:
        parser.error(f"no resource has the id {exc}")
    except KeyboardInterrupt:
        print(f"\nStopped; the PDFs in {args.site_dir} were left as they were.", file=sys.stderr)
        return 130   # the shells' code for a command ended by Ctrl-C
    for rid, message in result.warnings.items():
        print(f"WARNING {rid}: {message}", file=sys.stderr)
    for rid, message in result.failed.items():
        print(f"FAILED {rid}: {message}", file=sys.stderr)
    if not result.ok:
        print(f"{len(result.failed)} PDF(s) failed; the published PDFs were left as they were.", file=sys.stderr)
        return 1
    print(
        f"PDFs: {len(result.rendered)} rendered, {len(result.cached)} unchanged, "
        f"written to {args.site_dir} in {result.seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    stopping.started()
    sys.exit(main())

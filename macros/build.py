"""The whole build, top to bottom (``python -m macros build``; ``make build``).

1. **load** – read and validate ``content/`` once, every language edition included; a content
   problem stops the build (exit 2) and lists every problem;
2. **plan** – derive every output from the loaded content (:mod:`macros.plan`);
3. **PDFs** – in a background thread, ``build_pdfs.py``'s pipeline renders the plan's PDFs in
   a pool of worker processes (cached: an unchanged PDF is not rendered again);
4. **site** – meanwhile, for each edition, write its pages as source files
   (:mod:`macros.adapters.source`) and have the site generator build them
   (:mod:`macros.adapters.mkdocs` by default, :mod:`macros.adapters.zensical` with
   ``--generator zensical``) into a fresh staging folder;
5. **finish** – move the PDFs in; add the web editor at ``/admin/`` (:mod:`macros.cms`); write
   the redirect pages, ``_redirects``, each edition's ``resources.json`` (once, with the PDFs'
   sizes) and ``translation-status.json``; last, the offline service workers
   (:mod:`macros.offline`), made from every file now in the folder;
6. **verify and swap** – only if every file the plan expects is there does the staging
   folder replace the site folder, in one rename. A failure at any step leaves the previous
   site exactly as it was.

When nothing the site is made from changed since the last successful build into the same
folder (content, code, templates, theme overrides, settings, pinned versions, the site URL)
and that folder is as the build left it, the build says so and stops before step 1
(:func:`up_to_date`).

Exit codes: 0 built, 1 a build step failed, 2 content problems, 130 stopped with Ctrl-C (the
site is left as it was; the PDFs being made stop with it).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from macros import catalog, ci_report, cms, offline, stopping, translation_status
from macros.loader import ContentError, Toolkit, load_toolkit
from macros.plan import BuildPlan, make_plan
from macros.adapters import adapter, source


def load_and_report(root: Path) -> Toolkit | None:
    """Load ``root/content`` and tell the editor what was found, on stderr: every problem
    (then return None), or the warnings and the translation status table
    (:mod:`macros.translation_status`). Under GitHub Actions each problem and warning is also a
    workflow command on its file and line, and the job summary gets the tables
    (:mod:`macros.ci_report`; once per job, whichever of check and build runs first)."""
    from macros import ci_report, translation_status

    try:
        toolkit = load_toolkit(root)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        ci_report.annotate(exc.problems, exc.warnings)
        return None
    for warning in toolkit.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    reported = ci_report.annotate([], toolkit.warnings)
    print(translation_status.text_table(toolkit), file=sys.stderr)
    if reported:
        translation_status.write_step_summary(toolkit)
    return toolkit


def content_bytes(root: Path) -> dict[str, bytes]:
    """Every file under ``root/content`` as project path (``content/…``) -> bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted((root / "content").rglob("*")) if p.is_file()}


def load_plan(root: Path) -> BuildPlan:
    """Load ``root/content`` (the one load of a build), without reporting, and plan every
    output.

    Raises:
        ContentError: the content does not validate.
    """
    return make_plan(load_toolkit(root))


#: What a site is made from, besides the environment (paths relative to the project root).
INPUTS = ("content", "macros", "overrides", "docs", "admin", "mkdocs.yml", "build_pdfs.py", "requirements.txt", "package-lock.json")


def _fingerprint(root: Path, generator: str) -> str:
    """A hash of every file in :data:`INPUTS`, the site URL override and the generator."""
    import hashlib

    digest = hashlib.sha256(f"{generator}\0{os.environ.get('TOOLKIT_SITE_URL', '')}".encode())
    for name in INPUTS:
        top = root / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _listing(site_dir: Path) -> list:
    """Every file of a built site with its size and modification time."""
    return sorted([p.relative_to(site_dir).as_posix(), p.stat().st_size, p.stat().st_mtime_ns]
                  for p in site_dir.rglob("*") if p.is_file())


def _record_path(root: Path, site_dir: Path) -> Path:
    import hashlib

    return root / ".cache" / "build" / (hashlib.sha256(str(site_dir).encode()).hexdigest()[:16] + ".json")


def up_to_date(root: Path, site_dir: Path, generator: str) -> bool:
    """True when ``site_dir`` holds exactly what the last successful build with
    ``generator`` wrote there and none of its inputs changed since."""
    import json

    try:
        record = json.loads(_record_path(root, site_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (site_dir.is_dir() and record.get("fingerprint") == _fingerprint(root, generator)
            and record.get("listing") == _listing(site_dir))


def _remember(root: Path, site_dir: Path, generator: str, fingerprint: str) -> None:
    import json

    path = _record_path(root, site_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"site": str(site_dir), "fingerprint": fingerprint, "listing": _listing(site_dir)}), encoding="utf-8")


def build(root: Path, site_dir: Path | None = None, jobs: int | None = None, generator: str = "mkdocs") -> int:
    """Build the site with its PDFs into ``site_dir`` (default ``root/site``) atomically, with
    the site generator ``generator`` (``mkdocs`` or ``zensical``). Returns the exit code
    (see the module docstring)."""
    import build_pdfs

    import time

    started = time.monotonic()
    marks: dict[str, float] = {}
    root = Path(root).resolve()
    site_dir = Path(site_dir or root / "site").resolve()
    if up_to_date(root, site_dir, generator):
        print(f"Nothing changed since the last build; {site_dir} is up to date.", file=sys.stderr)
        return 0
    fingerprint = _fingerprint(root, generator)
    build_pdfs.start_workers_early()   # WeasyPrint warms up in the workers' server meanwhile
    try:
        sw_writer = offline.Writer()   # Node.js loads workbox-build meanwhile
    except RuntimeError as exc:
        print(f"{exc}\nBuild failed; the site in {site_dir} was left unchanged.", file=sys.stderr)
        return 1
    # The PDF cache is keyed on the bytes the content was loaded from, so a file saved while
    # the build reads the content must not leave older paper under the newer file's key:
    # read again until the files hold still.
    for _ in range(5):
        inputs = content_bytes(root)
        toolkit = load_and_report(root)
        if toolkit is None or content_bytes(root) == inputs:
            break
        print("A content file changed while it was being read; reading the content again.", file=sys.stderr)
    if toolkit is None:
        sw_writer.close()
        return 2
    plan = make_plan(toolkit)
    marks["load and plan"] = time.monotonic() - started
    site_generator = adapter(generator)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-building-", dir=site_dir.parent))
    pdf_dir = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-pdfs-", dir=site_dir.parent))
    work = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-source-", dir=site_dir.parent))
    pdf_result: dict = {}
    stop_pdfs = threading.Event()

    def render_pdfs() -> None:
        try:
            pdf_result["result"] = build_pdfs.build(root, site_dir=pdf_dir, jobs=jobs, progress=False, plan=plan, inputs=inputs,
                                                    stop=stop_pdfs)
        except Exception as exc:  # noqa: BLE001 - reported after the site build
            pdf_result["error"] = exc

    pdf_thread = threading.Thread(target=render_pdfs, daemon=True)
    pdf_thread.start()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])))
    try:
        configs = [source.write(root, edition, plan.editions, work / edition.language, staging / edition.folder, site_generator.prepare)
                   for edition in plan.editions]
        if hasattr(site_generator, "build_many"):   # every edition in one generator process
            code = site_generator.build_many(configs, env)
        else:
            code = next((c for c in (site_generator.build(config, env) for config in configs) if c != 0), 0)
        if code != 0:
            print(f"Build failed ({site_generator.NAME} exit {code}); the site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        marks["site pages"] = time.monotonic() - started - marks["load and plan"]
        pdf_thread.join()
        pdf_warnings = list(pdf_result["result"].warnings.values()) if "result" in pdf_result else []
        for message in pdf_warnings:
            print(f"PDF warning: {message}", file=sys.stderr)
        if "error" in pdf_result or not pdf_result["result"].ok:
            problems = pdf_result.get("error") or "\n".join(f"PDF failed: {n}: {m}" for n, m in pdf_result["result"].failed.items())
            print(f"{problems}\nBuild failed; the site in {site_dir} was left unchanged.", file=sys.stderr)
            if "result" in pdf_result:  # on their lines in the pull request (GitHub Actions)
                ci_report.annotate(ci_report.problems_from_messages(root, pdf_result["result"].failed.values()),
                                   ci_report.problems_from_messages(root, pdf_warnings))
            return 1
        if pdf_warnings:
            ci_report.annotate([], ci_report.problems_from_messages(root, pdf_warnings))
        result = pdf_result["result"]
        marks["PDFs (alongside the pages)"] = result.seconds
        marks["waiting for the PDFs"] = time.monotonic() - started - marks["load and plan"] - marks["site pages"]
        print(f"PDFs: {len(result.rendered)} rendered, {len(result.cached)} unchanged ({result.seconds:.1f} s)", file=sys.stderr)
        finishing = time.monotonic()
        _merge_tree(pdf_dir, staging)
        # The web editor at /admin/ (page, generated configuration, CMS bundle).
        cms.write_admin(staging)
        # GitHub Pages deploys from the gh-pages branch (deploy.yml, for the pull-request
        # previews): without this file its Jekyll step drops files whose names start with _.
        (staging / ".nojekyll").write_text("", encoding="utf-8")
        for edition in plan.editions:
            folder = staging / edition.folder
            for file in edition.files:
                target = folder / file.path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(file.text(), encoding="utf-8")
            catalog.write(folder, edition.toolkit, edition.site_url)
        translation_status.write_json(staging, plan.toolkit)  # for translators
        # The offline service workers, made from every page and PDF now in the staging
        # folder (macros/offline.py): the last file written before the check and the swap.
        try:
            sw_writer.write(staging)
        except RuntimeError as exc:
            print(f"{exc}\nBuild failed; the site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        missing = [path for path in plan.expected() if not (staging / path).is_file()]
        if missing:
            print("Build incomplete; missing:\n  " + "\n  ".join(missing), file=sys.stderr)
            print(f"The site in {site_dir} was left unchanged.", file=sys.stderr)
            return 1
        with stopping.ignored():   # from here the build finishes: swap and record
            _swap(staging, site_dir)
            _remember(root, site_dir, generator, fingerprint)
        marks["finish (editor, redirects, catalog, offline, check, swap)"] = time.monotonic() - finishing
    except KeyboardInterrupt:
        print(f"\nStopped; the site in {site_dir} was left unchanged.", file=sys.stderr)
        return 130   # the shells' code for a command ended by Ctrl-C
    finally:
        with stopping.ignored():   # a second Ctrl-C would interrupt the clean-up
            stop_pdfs.set()   # a failed or stopped build does not wait for the rest of its PDFs
            sw_writer.close()
            pdf_thread.join()
            for folder in (staging, pdf_dir, work):
                shutil.rmtree(folder, ignore_errors=True)
    print(f"Site built with {site_generator.NAME}: {site_dir} in {time.monotonic() - started:.1f} s "
          f"({', '.join(f'{k} {v:.1f} s' for k, v in marks.items())})", file=sys.stderr)
    return 0


def _merge_tree(src: Path, dest: Path) -> None:
    """Move every file under ``src`` to the same place under ``dest``, then remove ``src``."""
    for path in sorted(src.rglob("*")):
        if path.is_file():
            target = dest / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, target)
    shutil.rmtree(src, ignore_errors=True)


def _swap(new: Path, target: Path) -> None:
    """Put ``new`` at ``target``; the old ``target`` (if any) is removed only afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    try:
        new.rename(target)
    except BaseException:
        if old is not None:
            old.rename(target)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

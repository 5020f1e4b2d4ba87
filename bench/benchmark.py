#!/usr/bin/env python3
"""Build benchmark: how fast the whole build is, and how close it comes to the limit.

Usage (from the project root, after ``make setup``)::

    .venv/bin/python bench/benchmark.py [--sizes 1 10 50] [--jobs N] [--baseline-sizes 1]

For each size N it builds a throw-away copy of the project whose content is the real
Informational Interviews activity plus N-1 synthetic copies of it (every resource kind, each
copy with its own ids and titles), so 1× is the real content. It prints:

* wall time of the site build alone, of the PDF stage, and of the whole cold build
  (``python -m macros build`` with an empty PDF cache), PDFs per second, and the peak memory
  (resident set size summed over the whole process tree, sampled every 20 ms);
* the **limit**: site build alone + (sum of each PDF's warm, in-process render time) / workers.
  Warm render times are measured once per distinct PDF in one process after a warm-up render;
  at N× every synthetic copy renders like the original, so the sum is scaled by N;
* the **naive baseline** (sizes in ``--baseline-sizes``): every PDF rendered by its own
  ``weasyprint`` command-line process, one after another, from the same print HTML;
* ratios ours / limit and baseline / ours;
* a no-change rebuild of the PDF stage (PDFs rendered, seconds; start-up of the PDF command
  alone for comparison) and a one-resource edit rebuild (which PDFs were rendered, seconds).

Figures depend on the machine; the ratios are what to compare across machines.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

ACTIVITY = "informational-interviews"


# -- synthetic content ----------------------------------------------------------------------


def make_project(dest: Path, size: int) -> Path:
    """Copy the project to ``dest`` and add ``size - 1`` synthetic copies of the activity."""
    ignore = shutil.ignore_patterns(".venv", "site", ".site-*", ".cache", ".git", "__pycache__", ".pytest_cache", "node_modules", "bench")
    shutil.copytree(ROOT, dest, ignore=ignore)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    activity_file = dest / "content" / "activities" / f"{ACTIVITY}.yml"
    resources = sorted((dest / "content" / "resources").glob("*.yml"))
    for i in range(2, size + 1):
        suffix = f"-copy-{i}"
        mapping = {p.stem: p.stem + suffix for p in resources}
        mapping[ACTIVITY] = ACTIVITY + suffix

        def rename(text: str) -> str:
            for old in sorted(mapping, key=len, reverse=True):
                text = re.sub(rf"(?<![\w-]){re.escape(old)}(?![\w-])", mapping[old], text)
            text = re.sub(r'^(title: ")(.*)(")$', rf"\g<1>\g<2> (copy {i})\g<3>", text, flags=re.M)
            # a longer title can wrap onto another line: give copies one page of slack
            return re.sub(r"^max_pages: (\d+)$", lambda m: f"max_pages: {int(m.group(1)) + 1}", text, flags=re.M)

        for p in resources:
            (p.parent / f"{mapping[p.stem]}.yml").write_text(rename(p.read_text(encoding="utf-8")), encoding="utf-8")
        (activity_file.parent / f"{mapping[ACTIVITY]}.yml").write_text(rename(activity_file.read_text(encoding="utf-8")), encoding="utf-8")
        # every language the site has: copy each translation with the same new ids
        for lang_dir in (dest / "content" / "translations").iterdir():
            for kind, stems in (("resources", [p.stem for p in resources]), ("activities", [ACTIVITY])):
                for stem in stems:
                    src = lang_dir / kind / f"{stem}.yml"
                    text = src.read_text(encoding="utf-8")
                    text = re.sub(rf"(?m)^id: {re.escape(stem)}$", f"id: {mapping[stem]}", text)
                    (lang_dir / kind / f"{mapping[stem]}.yml").write_text(text, encoding="utf-8")
    return dest


# -- measuring --------------------------------------------------------------------------------


class PeakMemory:
    """Samples the summed RSS of a process and all its descendants until stopped (bytes)."""

    def __init__(self, pid: int):
        self.proc = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
                total = 0
                for p in procs:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total)
            except psutil.Error:
                pass
            time.sleep(0.02)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak tree RSS bytes, stderr+stdout)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    mem = PeakMemory(proc.pid)
    out, _ = proc.communicate()
    peak = mem.stop()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{out[-3000:]}")
    return seconds, peak, out


def warm_render_times(project: Path) -> dict[str, float]:
    """Warm in-process render time of each PDF of the real activity (seconds), in a child
    process so nothing here is cached; the first render is a warm-up and not counted."""
    code = f"""
import json, sys, time
sys.path.insert(0, {str(project)!r})
from macros.loader import load_toolkit
from macros.plan import make_plan
from macros import pdf, render
plan = make_plan(load_toolkit({str(project)!r}))
jobs = []
for e in plan.editions:
    t, lang, r = e.toolkit, e.language, e.renderer
    jobs += [(lang + ":" + rid, pdf.print_html(r, rid), render.form_field_descriptions(t.resources[rid])) for rid in t.activities[{ACTIVITY!r}].resource_ids]
    jobs.append((lang + ":packet", pdf.packet_html(r, {ACTIVITY!r}), pdf.packet_field_descriptions(t, {ACTIVITY!r})))
pdf.html_to_pdf(jobs[0][1], jobs[0][2])
out = {{}}
for name, html, desc in jobs:
    s = time.perf_counter(); pdf.html_to_pdf(html, desc); out[name] = time.perf_counter() - s
print(json.dumps(out))
"""
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    import json

    return json.loads(res.stdout.strip().splitlines()[-1])


def naive_baseline(project: Path, workdir: Path) -> float:
    """Seconds to render every PDF with its own ``weasyprint`` CLI process, sequentially."""
    code = f"""
import sys; sys.path.insert(0, {str(project)!r})
from macros.loader import load_toolkit
from macros.plan import make_plan
from macros import pdf
plan = make_plan(load_toolkit({str(project)!r}))
from pathlib import Path
d = Path({str(workdir)!r}); d.mkdir(parents=True, exist_ok=True)
for e in plan.editions:
    t, lang = e.toolkit, e.language
    for rid in t.resources:
        (d / (lang + "-" + rid + ".html")).write_text(pdf.print_html(e.renderer, rid), encoding="utf-8")
    for aid in t.activities:
        (d / (lang + "-" + aid + "-packet.html")).write_text(pdf.packet_html(e.renderer, aid), encoding="utf-8")
"""
    subprocess.run([sys.executable, "-c", code], check=True)
    cli = str(Path(sys.executable).parent / "weasyprint")
    started = time.perf_counter()
    for html in sorted(workdir.glob("*.html")):
        subprocess.run([cli, "--pdf-variant", "pdf/ua-1", "--pdf-forms", "-q", str(html), str(html.with_suffix(".pdf"))], check=True)
    return time.perf_counter() - started


def pdf_stage_seconds(log: str) -> float:
    """The PDF stages' own time, as printed by the build (``PDFs: … (X s)``), summed over the
    languages."""
    found = re.findall(r"PDFs: \d+ rendered, \d+ unchanged \(([\d.]+) s\)", log)
    return sum(float(x) for x in found) if found else float("nan")


def measure(size: int, jobs: int, baseline: bool, tmp: Path) -> dict:
    project = make_project(tmp / f"size-{size}", size)
    py = sys.executable
    env: dict[str, str] = {}
    # The site alone: load, plan, write every edition's pages and build them with MkDocs.
    site_only = f"""
import sys; sys.path.insert(0, {str(project)!r})
from pathlib import Path
from macros.build import load_plan
from macros.adapters import mkdocs, source
plan = load_plan(Path({str(project)!r}))
for e in plan.editions:
    cfg = source.write(plan.root, e, plan.editions, Path({str(tmp)!r}) / "site-only-src-{size}" / e.language,
                       Path({str(tmp)!r}) / "site-only-{size}" / e.folder, mkdocs.prepare)
    assert mkdocs.build(cfg) == 0
"""
    site_alone, _, _ = run([py, "-c", site_only], project, env)
    whole, peak, log = run([py, "-m", "macros", "build", "--jobs", str(jobs)], project, env)
    pdf_stage = pdf_stage_seconds(log)
    n_pdfs = len(list((project / "site").rglob("*.pdf")))
    warm = warm_render_times(project)
    limit = site_alone + sum(warm.values()) * size / jobs
    r = {
        "size": size, "pdfs": n_pdfs, "site": site_alone, "pdf_stage": pdf_stage, "whole": whole,
        "pdfs_per_s": n_pdfs / pdf_stage, "per_pdf": pdf_stage / n_pdfs, "peak_mb": peak / 2**20,
        "limit": limit, "vs_limit": whole / limit,
    }
    if baseline:
        r["baseline"] = naive_baseline(project, tmp / f"naive-{size}")
        r["baseline_vs_ours"] = r["baseline"] / whole
    # no-change rebuild of the PDF stage, and the command's own start-up for comparison
    startup, _, _ = run([py, "-c", "import build_pdfs, macros.pdf"], project)
    nochange, _, log = run([py, "build_pdfs.py", "-q", "--jobs", str(jobs)], project)
    r["nochange"] = nochange
    r["startup"] = startup
    r["nochange_rendered"] = int(re.search(r"PDFs: (\d+) rendered", log).group(1))
    # one-resource edit (the English; its Spanish edition is unchanged, so only English PDFs)
    f = project / "content" / "resources" / "informational-interview-student-checklist.yml"
    f.write_text(f.read_text(encoding="utf-8").replace("Pack a notebook, a pen", "Pack a notebook, two pens"), encoding="utf-8")
    code = ("import sys, json, build_pdfs; r = build_pdfs.build(progress=False, jobs=%d); "
            "print(json.dumps([r.rendered, r.seconds]))" % jobs)
    _, _, out = run([py, "-c", code], project)
    import json

    rendered, seconds = json.loads(out.strip().splitlines()[-1])
    r["edit_rendered"], r["edit_seconds"] = rendered, seconds
    return r


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=[1], help="sizes at which to run the naive baseline (slow)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary projects")
    args = parser.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="wbl-bench-"))
    results = []
    try:
        for size in args.sizes:
            print(f"… measuring {size}×", file=sys.stderr, flush=True)
            results.append(measure(size, args.jobs, size in args.baseline_sizes, tmp))
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nWBL Toolkit build benchmark · {os.cpu_count()} cores · {args.jobs} PDF workers · Python {sys.version.split()[0]}")
    header = f"{'size':>5} {'PDFs':>5} {'site s':>7} {'PDF s':>7} {'whole s':>8} {'PDF/s':>6} {'s/PDF':>6} {'peak MB':>8} {'limit s':>8} {'ours/limit':>10} {'naive s':>8} {'naive/ours':>10}"
    print(header)
    for r in results:
        naive = f"{r['baseline']:8.1f} {r['baseline_vs_ours']:10.2f}" if "baseline" in r else f"{'–':>8} {'–':>10}"
        print(f"{r['size']:>4}× {r['pdfs']:>5} {r['site']:7.2f} {r['pdf_stage']:7.2f} {r['whole']:8.2f} {r['pdfs_per_s']:6.2f} {r['per_pdf']:6.3f} {r['peak_mb']:8.0f} {r['limit']:8.2f} {r['vs_limit']:10.2f} {naive}")
    print()
    for r in results:
        print(f"{r['size']:>4}×  no-change rebuild: {r['nochange_rendered']} PDFs rendered in {r['nochange']:.2f} s "
              f"(start-up alone {r['startup']:.2f} s)  ·  one-resource edit: rendered {', '.join(r['edit_rendered']) or 'nothing'} in {r['edit_seconds']:.2f} s")
    if len(results) > 1:
        base = results[0]["per_pdf"]
        for r in results[1:]:
            print(f"time per PDF at {r['size']}× vs {results[0]['size']}×: {r['per_pdf'] / base:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

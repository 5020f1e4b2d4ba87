"""What changed on paper: build a base git ref and the head, list the pages and PDFs whose
output changed, and draw each changed PDF page before and after with the differences
highlighted.

    make diff BASE=origin/main            # or: .venv/bin/python scripts/diff_outputs.py --base origin/main

Steps:

1. build the base ref in a temporary ``git worktree`` (its own code and content, this checkout's
   ``.venv`` and ``node_modules``, and the shared PDF cache, which is keyed on content and code)
   and the head (``--head REF``, or by default this checkout as it is, uncommitted edits
   included), each with ``python -m macros build --site-dir …``;
2. compare what a reader gets, not bytes that may vary: a page is changed when its title or the
   text of its main content changed; a PDF when its page count, the text of a page
   (``pdftotext -layout``) or the picture of a page (``pdftoppm``, 30 dpi) changed;
3. for each changed PDF, write ``<out>/pdfs/<lang>/<name>/page-<n>-{before,after,diff}.png``
   (60 dpi; the diff from npm ``pixelmatch`` via ``scripts/pixeldiff.mjs``: changed pixels in red);
4. write ``<out>/summary.md`` (for a pull request's job summary and comment: every changed page
   and PDF, and per changed PDF page the lines of text that changed and its pictures) and
   ``<out>/report.json`` (the same as data).

Exit 0 when both builds succeeded (whatever changed), 1 when a build failed (its output is
printed), 2 on a bad argument. Needs git, poppler-utils (pdftoppm, pdftotext) and Node.js.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PREVIEW_DPI = 60
COMPARE_DPI = 30


class BuildError(RuntimeError):
    """A build of the base or the head failed; the message holds its output."""


# --------------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------------


def _build(project: Path, site: Path, jobs: int | None) -> None:
    cmd = [sys.executable, "-m", "macros", "build", "--site-dir", str(site)] + (["--jobs", str(jobs)] if jobs else [])
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BuildError(f"build of {project} failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}")


def build_ref(root: Path, ref: str, work: Path, name: str, jobs: int | None = None) -> Path:
    """Build git ``ref`` of the repository at ``root`` into ``work/<name>-site``; returns it.

    Raises:
        BuildError: ``ref`` is unknown or its build failed.
    """
    tree = work / f"{name}-tree"
    add = subprocess.run(["git", "-C", str(root), "worktree", "add", "--detach", "--quiet", str(tree), ref], capture_output=True, text=True)
    if add.returncode != 0:
        raise BuildError(f"cannot check out {ref!r}: {add.stderr.strip()}")
    try:
        for shared in ("node_modules", ".cache"):
            (root / shared).mkdir(exist_ok=True)
            if not (tree / shared).exists():
                (tree / shared).symlink_to(root / shared)
        site = work / f"{name}-site"
        _build(tree, site, jobs)
        return site
    finally:
        subprocess.run(["git", "-C", str(root), "worktree", "remove", "--force", str(tree)], capture_output=True)


# --------------------------------------------------------------------------------------------
# Comparing
# --------------------------------------------------------------------------------------------


def page_text(path: Path) -> str:
    """What a reader reads on an HTML page: its title and the text of its main content
    (``<article>``, else ``<main>``, else ``<body>``), whitespace collapsed; scripts and styles
    left out."""
    import lxml.html

    doc = lxml.html.parse(str(path)).getroot()
    for bad in doc.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    title = " ".join(doc.xpath("string(//title)").split())
    main = (doc.xpath("//article") or doc.xpath("//main") or doc.xpath("//body") or [doc])[0]
    return title + "\n" + " ".join(main.text_content().split())


def pdf_pages_text(path: Path) -> list[str]:
    """The text of each page of a PDF (``pdftotext -layout``), trailing spaces removed."""
    out = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return ["\n".join(line.rstrip() for line in page.splitlines()).strip("\n") for page in pages]


def pdf_title(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    m = re.search(r"^Title:\s*(.+)$", info, re.M)
    return m.group(1).strip() if m else path.stem


def render_pages(pdf: Path, folder: Path, prefix: str, dpi: int) -> list[Path]:
    """``pdftoppm`` every page of ``pdf`` to ``folder/<prefix>-<n>.png`` (n from 1); returns them in order."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(folder / prefix)], check=True)
    found = sorted(folder.glob(f"{prefix}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    return found


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass
class PdfChange:
    """One changed PDF: ``path`` in the site, its title, and its changed pages (1-based) with
    the text lines removed and added on each."""

    path: str
    title: str
    pages_before: int
    pages_after: int
    pages: dict[int, dict] = field(default_factory=dict)


def changed_pdf_pages(before: Path, after: Path, scratch: Path) -> dict[int, dict]:
    """Pages (1-based) that differ between two PDFs, each ``{"removed": [lines], "added":
    [lines]}``; a page whose text is the same but whose picture differs has both lists empty.
    An empty dict means no reader would see a difference."""
    a_text, b_text = pdf_pages_text(before), pdf_pages_text(after)
    changed: dict[int, dict] = {}
    for n in range(1, max(len(a_text), len(b_text)) + 1):
        a = a_text[n - 1].splitlines() if n <= len(a_text) else []
        b = b_text[n - 1].splitlines() if n <= len(b_text) else []
        if a != b:
            a_lines = [" ".join(x.split()) for x in a]
            b_lines = [" ".join(x.split()) for x in b]
            diff = list(difflib.ndiff(a_lines, b_lines))
            changed[n] = {"removed": [d[2:] for d in diff if d.startswith("- ") and d[2:]],
                          "added": [d[2:] for d in diff if d.startswith("+ ") and d[2:]]}
    if len(a_text) == len(b_text):
        a_png = render_pages(before, scratch, "a", COMPARE_DPI)
        b_png = render_pages(after, scratch, "b", COMPARE_DPI)
        for n, (pa, pb) in enumerate(zip(a_png, b_png), start=1):
            if n not in changed and _digest(pa) != _digest(pb):
                changed[n] = {"removed": [], "added": []}
    return changed


def compare_sites(base: Path, head: Path, scratch: Path) -> dict:
    """Compare two built sites. Returns ``{"pages": {"changed", "added", "removed"}, "pdfs":
    {"changed": [PdfChange], "added", "removed"}}`` with site paths, sorted."""
    def files(site: Path, suffix: str) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob(f"*{suffix}")}

    report: dict = {"pages": {}, "pdfs": {}}
    for kind, suffix in (("pages", ".html"), ("pdfs", ".pdf")):
        a, b = files(base, suffix), files(head, suffix)
        report[kind]["added"] = sorted(b - a)
        report[kind]["removed"] = sorted(a - b)
        report[kind]["changed"] = []
    for rel in sorted(files(base, ".html") & files(head, ".html")):
        if (base / rel).read_bytes() != (head / rel).read_bytes() and page_text(base / rel) != page_text(head / rel):
            report["pages"]["changed"].append(rel)
    for i, rel in enumerate(sorted(files(base, ".pdf") & files(head, ".pdf"))):
        if _digest(base / rel) == _digest(head / rel):
            continue
        pages = changed_pdf_pages(base / rel, head / rel, scratch / f"cmp-{i}")
        if pages:
            report["pdfs"]["changed"].append(PdfChange(
                rel, pdf_title(head / rel), len(pdf_pages_text(base / rel)), len(pdf_pages_text(head / rel)), pages))
    return report


# --------------------------------------------------------------------------------------------
# Pictures and summary
# --------------------------------------------------------------------------------------------


def draw_changes(base: Path, head: Path, change: PdfChange, out: Path) -> None:
    """Write before/after/diff PNGs of each changed page of ``change`` under ``out`` and add
    their paths (relative to ``out``) and the share of changed pixels to ``change.pages``."""
    folder = out / "pdfs" / Path(change.path).with_suffix("")
    shutil.rmtree(folder, ignore_errors=True)
    scratch = folder / ".all"
    before = render_pages(base / change.path, scratch, "before", PREVIEW_DPI)
    after = render_pages(head / change.path, scratch, "after", PREVIEW_DPI)
    jobs = []
    for n, page in change.pages.items():
        names = {}
        for side, pngs in (("before", before), ("after", after)):
            if n <= len(pngs):
                target = folder / f"page-{n}-{side}.png"
                shutil.copyfile(pngs[n - 1], target)
                names[side] = target
        diff = folder / f"page-{n}-diff.png"
        jobs.append({"before": str(names.get("before")) if "before" in names else None,
                     "after": str(names.get("after")) if "after" in names else None, "diff": str(diff)})
        page["images"] = {k: v.relative_to(out).as_posix() for k, v in {**names, "diff": diff}.items()}
    shutil.rmtree(scratch, ignore_errors=True)
    jobs_file = folder / "jobs.json"
    jobs_file.write_text(json.dumps(jobs), encoding="utf-8")
    proc = subprocess.run(["node", str(SCRIPTS / "pixeldiff.mjs"), str(jobs_file)], capture_output=True, text=True, cwd=ROOT)
    jobs_file.unlink()
    if proc.returncode != 0:
        raise RuntimeError(f"pixeldiff failed: {proc.stderr}")
    for (n, page), result in zip(change.pages.items(), json.loads(proc.stdout)):
        page["changed_pixels"] = result["changed"]
        page["share"] = round(result["changed"] / max(result["total"], 1), 5)


def summary_markdown(report: dict, image_base: str = "") -> str:
    """The report as Markdown for a job summary or a pull-request comment; image links are
    ``image_base`` + the path under the output folder (a published preview's address, or
    nothing for links relative to ``summary.md``)."""
    pages, pdfs = report["pages"], report["pdfs"]
    n_pages = sum(len(pages[k]) for k in ("changed", "added", "removed"))
    n_pdfs = sum(len(pdfs[k]) for k in ("changed", "added", "removed"))
    lines = ["## What changed in the built site", ""]
    if not n_pages and not n_pdfs:
        return "\n".join(lines + ["No page and no PDF changed.", ""])
    lines.append(f"{n_pages} page(s) and {n_pdfs} PDF(s) changed.")
    lines.append("")
    for kind, label in (("pages", "Pages"), ("pdfs", "PDFs")):
        for what in ("added", "removed"):
            if report[kind][what]:
                lines += [f"**{label} {what}:** " + ", ".join(f"`{p}`" for p in report[kind][what]), ""]
    if pages["changed"]:
        lines += ["### Pages", ""] + [f"- `{p}`" for p in pages["changed"]] + [""]
    if pdfs["changed"]:
        lines += ["### PDFs", ""]
    for change in pdfs["changed"]:
        count = f"{change.pages_before} → {change.pages_after} pages" if change.pages_before != change.pages_after else f"{change.pages_after} page(s)"
        lines += [f"#### {change.title} — `{change.path}` ({count})", ""]
        for n, page in change.pages.items():
            what = []
            if page["removed"] or page["added"]:
                what += [f"  - before: {_quote(t)}" for t in page["removed"][:4]]
                what += [f"  - after: {_quote(t)}" for t in page["added"][:4]]
                more = len(page["removed"]) + len(page["added"]) - len(what)
                if more > 0:
                    what.append(f"  - … and {more} more line(s)")
            else:
                what.append("  - same words, different layout")
            lines.append(f"- **page {n}**")
            lines += what
            imgs = page.get("images", {})
            if imgs:
                cells = " | ".join(f"![page {n} {k}]({image_base}{v})" for k, v in imgs.items())
                lines += ["", "  | " + " | ".join(imgs) + " |", "  |" + "---|" * len(imgs), f"  | {cells} |", ""]
        lines.append("")
    return "\n".join(lines)


def _quote(text: str) -> str:
    return "“" + text.replace("|", "\\|")[:160] + "”"


def to_json(report: dict) -> dict:
    out = json.loads(json.dumps({k: v for k, v in report.items()}, default=lambda o: o.__dict__))
    return out


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def run(root: Path, base_ref: str, head_ref: str | None, out: Path, image_base: str = "", jobs: int | None = None,
        preview_url: str = "", publish_dir: Path | None = None) -> dict:
    """Build, compare, draw and write the summary; returns the report as JSON data.

    With ``preview_url`` the summary starts with a link to the preview; with ``publish_dir``
    (a folder of the site to publish, e.g. ``site/changes``) the pictures are copied there too
    and linked under ``preview_url`` + that folder's name. ``summary.md`` is also appended to the
    GitHub Actions job summary when ``GITHUB_STEP_SUMMARY`` names one.

    Raises:
        BuildError: a build failed.
    """
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wbl-diff-") as tmp:
        work = Path(tmp)
        base = build_ref(root, base_ref, work, "base", jobs)
        if head_ref:
            head = build_ref(root, head_ref, work, "head", jobs)
        else:
            head = work / "head-site"
            _build(root, head, jobs)
        report = compare_sites(base, head, work / "scratch")
        for change in report["pdfs"]["changed"]:
            draw_changes(base, head, change, out)
    if publish_dir is not None:
        shutil.rmtree(publish_dir, ignore_errors=True)
        if (out / "pdfs").exists():
            shutil.copytree(out / "pdfs", publish_dir / "pdfs")
        if preview_url:
            image_base = preview_url + publish_dir.name + "/"
    summary = summary_markdown(report, image_base)
    if preview_url:
        summary = summary.replace("\n", f"\n\n**Preview of this pull request:** <{preview_url}>\n", 1)
    (out / "summary.md").write_text(summary, encoding="utf-8")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as job_summary:
            job_summary.write(summary + "\n")
    data = to_json(report)
    (out / "report.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="git ref to compare against (e.g. origin/main)")
    parser.add_argument("--head", default=None, help="git ref to compare (default: this checkout as it is)")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="the project (default: the current folder)")
    parser.add_argument("--out", type=Path, default=Path("diff-report"), help="where the summary and pictures go (default: diff-report/)")
    parser.add_argument("--image-base-url", default="", help="prefix for image links in summary.md (e.g. the preview's address)")
    parser.add_argument("--jobs", "-j", type=int, default=None, help="PDF worker processes per build")
    parser.add_argument("--preview-url", default="", help="address of this change's published preview (linked at the top)")
    parser.add_argument("--publish-dir", type=Path, default=None, help="also copy the pictures into this folder of the site to publish")
    args = parser.parse_args(argv)
    try:
        data = run(args.root.resolve(), args.base, args.head, args.out.resolve(), args.image_base_url, args.jobs,
                   args.preview_url, args.publish_dir.resolve() if args.publish_dir else None)
    except BuildError as exc:
        print(exc, file=sys.stderr)
        return 1
    n = sum(len(v) for part in data.values() for v in part.values())
    print(f"{n} changed output(s); summary in {args.out / 'summary.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

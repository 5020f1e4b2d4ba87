"""Helpers for asserting on built HTML and PDF text, and the ONE place where the tests reach
into the product's modules (``macros.*``). The build is being restructured (issue #12): when a
module moves, fix the imports here, not in every test.

What the tests use from the product, besides its commands (``python -m macros …``,
``build_pdfs.py``):

* :func:`load` / :func:`problems`: the loader, in-process (fast; the same code as
  ``python -m macros check``);
* :data:`urls`: the permalink scheme (site paths of pages and PDFs);
* :func:`expected_texts`, :func:`plain`: what a reader must find of a resource (from its model);
* a few single-purpose checkers named below.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import lxml.html

from macros import model as m  # noqa: F401  (re-exported for tests that build a model)
from macros import urls  # noqa: F401  (re-exported: the permalink scheme)
from macros.i18n import UI, long_date  # noqa: F401  (interface words, dates as printed)
from macros.loader import ContentError, load_toolkit, site_url  # noqa: F401
from macros.render import form_field_descriptions, plain_text  # noqa: F401


def load(root: Path):
    """The project under ``root``, loaded and validated (a ``Toolkit``).

    Raises:
        ContentError: the content has problems (``.report()`` lists them)."""
    return load_toolkit(root)


def problems(root: Path) -> str:
    """The problem report ``python -m macros check`` prints for the project under ``root``
    (one ``file:line:col: field: message`` per line); fails the test if it loads cleanly."""
    try:
        load_toolkit(root)
    except ContentError as exc:
        return exc.report()
    raise AssertionError(f"{root}: the content loaded without problems")


def edit(project: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    """Replace ``old`` by ``new`` in the file ``rel`` of ``project`` (a fixture project: its
    words are the tests' own); fails if ``old`` is not there."""
    path = project / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def line_of(project: Path, rel: str, needle: str) -> int:
    """The 1-based number of the first line of ``rel`` that contains ``needle``."""
    lines = (project / rel).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def plain(text: str) -> str:
    """Inline Markdown -> the plain words a reader sees, whitespace collapsed."""
    return norm(plain_text(text))


def norm(text: str) -> str:
    """Collapse whitespace (PDF text wraps lines anywhere) and unescape entities."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def visible_text(element) -> str:
    """Text of an element as a reader sees it, whitespace collapsed, without the site
    generator's permalink marks (``¶`` links that follow each heading)."""
    copy = lxml.html.fromstring(lxml.html.tostring(element))
    for mark in copy.cssselect("a.headerlink"):
        mark.drop_tree()
    return norm(copy.text_content())


def page_text(path) -> str:
    """Visible text of a built HTML page's main content, whitespace collapsed (without
    permalink marks)."""
    doc = lxml.html.parse(str(path)).getroot()
    article = doc.cssselect("article") or [doc]
    return visible_text(article[0])


def sections_of(r) -> list[str]:
    """Titles of a resource's top-level sections in page order: phases, sections, parts or
    tips; an agreement's parts, then its terms, then each party."""
    out = [s.title for s in getattr(r, "phases", []) or getattr(r, "sections", []) or getattr(r, "parts", []) or getattr(r, "tips", [])]
    if getattr(r, "terms", None) is not None:
        out.append(r.terms.title)
    return out + [party.title for party in getattr(r, "parties", [])]


def expected_texts(r) -> list[str]:
    """Every text a reader must find in a resource's page and PDF: its items, tips, facts,
    field labels, options and rated statements."""
    out: list[str] = [r.title]
    if isinstance(r, m.Checklist):
        for p in r.phases:
            out.append(p.title)
            out += [plain(i.text) for i in p.items]
    elif isinstance(r, m.TipSheet):
        for t in r.tips:
            out += [t.title, plain(t.text)]
    elif isinstance(r, m.FactSheet):
        for s in r.sections:
            out.append(s.title)
            if s.text:
                out.append(plain(s.text))
            out += [plain(p) for p in s.points]
            for f in s.facts:
                out += [f.label, plain(f.value)]
    else:
        for part in r.parts:
            out.append(part.title)
            for f in part.fields:
                out.append(f.label)
                out += list(f.options)
            if part.rating:
                out += [plain(i.text) for i in part.rating.items]
                out += [p.label for p in part.rating.scale]
    return out


def site_file(site, site_url: str, url: str):
    """The file in the built ``site`` that the absolute ``url`` (under ``site_url``) serves,
    and the URL's fragment (``""`` if none): folders serve their ``index.html``.

    Raises:
        AssertionError: ``url`` is not under ``site_url``.
    """
    assert url.startswith(site_url), f"{url} is not under {site_url}"
    path, _, fragment = url[len(site_url):].partition("#")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return site / path, fragment


def check_pdf(path) -> list[str]:
    """The product's structural PDF accessibility check (``macros.pdf_check``): problems found."""
    from macros.pdf_check import check_pdf as _check

    return _check(path)


def reading_grade(r) -> tuple[float, float]:
    """(Flesch–Kincaid grade of resource ``r``, the limit for its audience) (``macros.readability``)."""
    from macros import readability

    return readability.grade(r), readability.limit(r)


def contrast_ratio(a: str, b: str = "#ffffff") -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (``macros.model.contrast_ratio``)."""
    return m.contrast_ratio(a, b)


def html_to_pdf(html_text: str):
    """The product's sandboxed HTML -> PDF renderer (``macros.pdf.html_to_pdf``)."""
    from macros import pdf

    return pdf.html_to_pdf(html_text)


def refused_url_error():
    """The exception class the PDF renderer raises for a URL outside the project."""
    from macros import pdf_fetch

    return pdf_fetch.RefusedURL


def build_pdfs_module():
    """``build_pdfs`` (the PDF stage's Python API: ``build(root, site_dir=…, …)``, ``shard_of``)."""
    import build_pdfs

    return build_pdfs


def text_past_right_margin(document) -> list[str]:
    """The text boxes of a laid-out WeasyPrint ``document`` (``macros.pdf.render_document``)
    that end past their page's right margin (more than half a point), as their text."""
    out = []
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        out += [child.text for child in box.descendants()
                if type(child).__name__ == "TextBox" and child.position_x + child.width > right + 0.5]
    return out


def pagination_text(data: bytes) -> list[dict]:
    """Per page of a PDF (bytes): its pagination artifacts' text by the page edges they say
    they are attached to, ``{("/Bottom", "/Right"): [(text, x), …], …}`` (x: where the
    sequence's text starts, points from the page's left edge; key ``None`` for an artifact
    that names no edges). Read with pypdf's text visitors."""
    import io

    import pypdf

    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        stack, out = [], {}

        def before(op, args, cm, tm):
            if op in (b"BDC", b"BMC"):
                key = False   # not a pagination artifact
                if op == b"BDC" and str(args[0]) == "/Artifact" and hasattr(args[1], "get") and args[1].get("/Type") == "/Pagination":
                    attached = args[1].get("/Attached")
                    key = tuple(str(e) for e in attached) if attached else None
                    out.setdefault(key, []).append(["", None])
                stack.append(key)
            elif op == b"EMC" and stack:
                stack.pop()

        def text(t, cm, tm, font, size):
            keys = [k for k in stack if k is not False]
            if keys and t.strip():
                entry = out[keys[-1]][-1]
                entry[0] += t
                if entry[1] is None:
                    entry[1] = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]

        page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append({k: [(norm(t), x) for t, x in v if t.strip()] for k, v in out.items()})
    return pages


#: Margin boxes of :func:`margin_boxes_pdf` (bottom-right: "Página N de M" over a date).
MARGIN_BOXES = {
    ("/Top", "/Left"): "Distrito · Kit",
    # right-aligned and long enough to wrap: its first line starts left of the page's middle
    ("/Top", "/Right"): "FORMULARIO · PARA ESTUDIANTES, MAESTROS, ESPECIALISTAS EN APRENDIZAJE BASADO EN EL TRABAJO, "
                        "EMPLEADORES Y FAMILIAS DE TODO EL DISTRITO ESCOLAR",
    ("/Bottom", "/Left"): "Título del documento",
}


def margin_boxes_pdf() -> bytes:
    """A two-page tagged PDF as WeasyPrint writes it (not post-processed) whose running header
    and footer are :data:`MARGIN_BOXES` and a bottom-right page number over a revision date,
    the way print.css lays them out."""
    import weasyprint

    boxes = "".join(f"@{k[0][1:].lower()}-{k[1][1:].lower()} {{ content: '{v}' }}" for k, v in MARGIN_BOXES.items())
    html = ("<html lang='es'><head><title>T</title><style>@page { size: letter; margin: 0.7in 0.7in 0.8in 0.7in; font-size: 8.5pt; "
            + boxes + " @bottom-left { width: 64% } @bottom-right { content: 'Página ' counter(page) ' de ' counter(pages) "
            "'\\A Revisado el 30 de septiembre de 2026'; white-space: pre; width: 36%; text-align: right } }</style></head>"
            "<body><h1>T</h1><p>Uno</p><p style='break-before: page'>Dos</p></body></html>")
    return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def running_in_session(sid: int) -> list[str]:
    """The command lines of the processes of session ``sid`` (a command started with
    ``start_new_session=True``: its pid) still running, read from Linux's ``/proc``. A process
    that has ended but has not been collected by its parent yet (a zombie) is not running."""
    running = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()   # state ppid pgrp session ...
            if int(fields[3]) == sid and fields[0] != "Z":
                running.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except (OSError, IndexError, ValueError):
            continue   # ended meanwhile
    return running

"""Print pipeline core: one resource -> print HTML -> PDF bytes (WeasyPrint).

The HTML comes from :meth:`macros.render.Renderer.print_document`, i.e. from the same partial
templates as the web page. WeasyPrint may only read the project's own assets: the
:class:`macros.pdf_fetch.ProjectOnlyFetcher` refuses every other URL (``http(s)://``,
``file://`` outside the allowed folders, ``data:`` …) with a
:class:`macros.pdf_fetch.RefusedURL` error that stops the render.

WeasyPrint is imported only by the functions that lay out or write a PDF (importing it takes
about a second): the build's own process makes print HTML and never loads it; its PDF worker
processes do.
"""
from __future__ import annotations

import atexit
import contextlib
import functools
import gc
import io
import logging
import re
from pathlib import Path
from typing import Callable

from macros import render
from macros.loader import Toolkit

PRINT_CSS = render.ASSETS / "print.css"
COMPONENT_CSS = render.ASSETS / "toolkit.css"


def print_css(text: str = "") -> str:
    """The main stylesheet of a print document: fonts (as ``file:`` URLs the fetcher allows;
    emoji subsets only for the characters in ``text``), shared components, print rules. It
    holds nothing from the content (brand colours and the running header's words are in the
    document's second, small ``<style>``, ``templates/print/_head.html``), so every document
    without emoji has the same one, and the PDF workers' server parses it before it forks them
    (:mod:`macros.pdf_warm`)."""
    return "\n".join([
        render.font_css(lambda p: p.resolve().as_uri()),
        render.emoji_font_css(lambda p: p.resolve().as_uri(), text),
        COMPONENT_CSS.read_text(encoding="utf-8"),
        PRINT_CSS.read_text(encoding="utf-8"),
    ])


@contextlib.contextmanager
def one_collection():
    """Pause Python's cyclic garbage collector for the block (a render), then collect its
    youngest generation once: the objects made since the last collection, i.e. the render's.

    A render makes hundreds of thousands of short-lived objects (boxes, computed styles, text
    runs), so with the default thresholds the collector ran about 40 times a PDF and took
    about 11% of its CPU time; paused, with one collection after the render, it takes about 3%
    (measured on the real content's 23 English resources, collector time read through
    ``gc.callbacks``). Memory stays bounded by one render: its garbage is freed when it ends.
    Only the youngest generation: a full collection would also walk every older object of the
    process, which in the build's own process (``--jobs 1``) is the whole content and plan.
    Nested blocks collect once, at the outer end; a collector already paused stays paused.
    See also :mod:`macros.pdf_warm`, which freezes the workers' long-lived objects
    (``gc.freeze``, Python docs: "gc — Garbage Collector interface").
    """
    paused_here = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused_here:
            gc.enable()
            gc.collect(0)


class PageBudgetExceeded(Exception):
    """A resource printed on more pages than its ``max_pages``."""


def print_html(renderer: "render.Renderer", resource_id: str) -> str:
    """The complete print HTML of one resource (CSS embedded), rendered with its edition's
    ``renderer`` (which knows the language and the site URL). Cheap: a few milliseconds.

    Raises:
        KeyError: no resource has this id.
    """
    return with_css(renderer.print_document, resource_id)


#: Stands for the stylesheet while a print document is rendered (ASCII, so it never changes
#: which emoji subsets the document's text needs).
CSS_SLOT = "/*tk-print-css*/"


def with_css(render_document: Callable[[str, str], str], ident: str) -> str:
    """Render a print document (``render_document(ident, css) -> html``) once, with a
    placeholder for the main stylesheet, then put in the stylesheet (:func:`print_css`) that
    declares just the fonts the document's characters need (the same HTML as rendering it
    twice, once to see the characters: measured 2× faster)."""
    draft = render_document(ident, CSS_SLOT)
    if draft.count(CSS_SLOT) != 1:   # the placeholder also appears in the content: be safe
        return render_document(ident, print_css(render_document(ident, "")))
    return draft.replace(CSS_SLOT, print_css(draft), 1)


#: WeasyPrint options for every PDF: tagged PDF/UA-1 (with /Lang, DisplayDocTitle, XMP
#: identifier) and fillable AcroForm fields from the HTML form controls.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_forms": True}


class RenderProblem(Exception):
    """WeasyPrint reported an error while rendering (e.g. a missing ``alt`` or ``lang``),
    which it would otherwise only log."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


#: Class put on ``<html>`` for the compact print style (see print.css), used when a resource
#: would otherwise run past its ``max_pages``.
COMPACT = "tk-compact"


def compact(html: str) -> str:
    """The same print HTML with the compact print style switched on."""
    return html.replace("<html ", f'<html class="{COMPACT}" ', 1)


def packet_html(renderer: "render.Renderer", activity_id: str) -> str:
    """The complete print HTML of an activity's packet (cover, contents, every resource) as
    one document, rendered with its edition's ``renderer``. The build no longer lays packets
    out this way (it assembles them from the resource PDFs, :mod:`macros.pdf_packet`); the
    benchmark's naive baseline does.

    Raises:
        KeyError: no activity has this id.
    """
    return with_css(renderer.print_packet, activity_id)


#: A print document's ``<style>`` elements (see ``templates/print/_head.html``).
_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


@functools.lru_cache(maxsize=16)
def _stylesheet(css: str, main: str | None = None) -> tuple["weasyprint.CSS", "FontConfiguration", tuple[str, ...]]:
    """The print stylesheet ``css`` parsed once per process, its font configuration and the
    errors WeasyPrint logged while parsing it. A main stylesheet (``main`` None) gets its own
    font configuration, its ``@font-face`` fonts loaded once; a document's further stylesheet
    uses the font configuration of its document's main one, ``main``. Every document after the
    first in a process skips parsing the CSS and loading the fonts: about a fifth of a
    resource's render time (measured with cProfile, issue #14)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from macros.pdf_fetch import ProjectOnlyFetcher, allowed_roots

    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        fonts = FontConfiguration() if main is None else _stylesheet(main)[1]
        sheet = weasyprint.CSS(string=css, base_url=render.ASSETS.resolve().as_uri() + "/",
                               url_fetcher=ProjectOnlyFetcher(allowed_roots()), font_config=fonts)
    finally:
        logger.removeHandler(collect)
    return sheet, fonts, tuple(collect.messages)


def _release_fonts() -> None:
    """At exit: drop this process's parsed stylesheets and their font configurations while
    Python's modules are still there. WeasyPrint's ``FontConfiguration`` removes the temporary
    folder it keeps its fonts in when it is finalized; finalized later, during the interpreter's
    teardown, it fails ("Exception ignored in FontConfiguration.__del__") and leaves the folder
    in the temporary directory. This matters in every process that rendered in-process: the
    live preview's, a ``--jobs 1`` build's and the PDF workers' server. A process that never
    laid out a PDF (the build's own, with workers) has nothing to free and skips the
    collection, which would walk its whole content and plan."""
    if _stylesheet.cache_info().currsize:
        _stylesheet.cache_clear()
        gc.collect()


atexit.register(_release_fonts)


def render_document(html: str, **options) -> "weasyprint.Document":
    """Lay out print HTML with WeasyPrint, reading only the project's assets. The document's
    ``<style>`` elements are taken out and given to WeasyPrint, in the same order, as
    stylesheets parsed once per process (:func:`_stylesheet`); they are the document's only
    author stylesheets, so the cascade and the output are the same as with them in place.

    ``options``: WeasyPrint rendering options (e.g. :data:`PDF_OPTIONS`).

    Raises:
        macros.pdf_fetch.RefusedURL: the document asked for a file or URL outside the project's assets.
        RenderProblem: WeasyPrint logged an error (missing ``alt`` text, missing ``lang`` …).
    """
    import weasyprint

    from macros.pdf_fetch import ProjectOnlyFetcher, allowed_roots

    styles = _STYLE.findall(html)
    sheets, fonts, messages = [], None, []
    if styles:
        parsed = [_stylesheet(styles[0])] + [_stylesheet(css, styles[0]) for css in styles[1:]]
        html, sheets, fonts = _STYLE.sub("", html), [p[0] for p in parsed], parsed[0][1]
        messages = [m for p in parsed for m in p[2]]
    collect = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collect)
    try:
        doc = weasyprint.HTML(
            string=html,
            base_url=render.ASSETS.resolve().as_uri() + "/",
            url_fetcher=ProjectOnlyFetcher(allowed_roots()),
        ).render(stylesheets=sheets, font_config=fonts, **options)
    finally:
        logger.removeHandler(collect)
    problems = [*messages, *collect.messages]
    if problems:
        raise RenderProblem("; ".join(dict.fromkeys(problems)))
    return doc


def html_to_pdf(html: str, field_descriptions: dict[str, str] | None = None) -> tuple[bytes, int]:
    """Render print HTML to a tagged, fillable PDF, reading only the project's assets, then
    post-process it (:func:`macros.pdf_post.finish`).

    Args:
        field_descriptions: form-field name -> words of its visible label (``/TU``).

    Returns:
        ``(pdf_bytes, page_count)``.

    Raises:
        macros.pdf_fetch.RefusedURL: the document asked for a file or URL outside the project's assets.
        RenderProblem: WeasyPrint logged an error (missing ``alt`` text, missing ``lang`` …).
    """
    return first_that_fits([html], None, field_descriptions)


#: A last page whose content fills less than this share of its text area's height is a
#: *stray page* (a few lines run over: a sheet of paper for them); :func:`choose_layout`
#: tries the next, tighter style, and keeps it if it saves that page.
STRAY_PAGE = 0.25


def last_page_fill(doc: "weasyprint.Document") -> float:
    """How much of the last page's text area (the page less its margins) the document's
    content takes, from its top: 0.0 (empty) to 1.0 (full). The running header and footer sit
    in the margins and do not count. Read from WeasyPrint's laid-out page box
    (``Page._page_box``, private: no public attribute gives the height the content takes)."""
    from weasyprint.formatting_structure import boxes

    page = doc.pages[-1]._page_box
    flow = [box for box in page.children if not isinstance(box, boxes.MarginBox)]
    if not flow or not page.height:
        return 0.0
    bottom = max(box.position_y + box.margin_height() for box in flow)
    return max(0.0, min(1.0, (bottom - page.content_box_y()) / page.height))


def choose_layout(htmls: list[str], max_pages: int | None,
                  laid_out: Callable[[], None] | None = None) -> tuple["weasyprint.Document", int]:
    """Lay out the print HTML in ``htmls`` (the same document in ever tighter styles: normal,
    then compact) in turn, as few as needed, and choose the one to publish:

    - the first that takes at most ``max_pages`` pages (None: no limit), or the last one if
      none does (the page budget is checked after, :func:`check_page_budget`);
    - but if the one chosen so far ends on a stray page (:data:`STRAY_PAGE`) and a next style
      exists, that one is laid out too and kept if it takes fewer pages: a few lines that run
      over never cost a sheet of paper for each copy printed.

    ``laid_out`` is called after each layout (the benchmark times them).

    Returns:
        ``(document, index in htmls of the one chosen)``.

    Raises:
        ValueError: ``htmls`` is empty.
        macros.pdf_fetch.RefusedURL, RenderProblem: as :func:`render_document`.
    """
    if not htmls:
        raise ValueError("no print HTML to render")
    kept, index, saving = None, 0, False
    for i, html in enumerate(htmls):
        doc = render_document(html, **PDF_OPTIONS)
        if laid_out is not None:
            laid_out()
        if saving:   # tried only to save the stray page
            if len(doc.pages) < len(kept.pages):
                kept, index = doc, i
            break
        kept, index = doc, i
        if max_pages is not None and len(doc.pages) > max_pages:
            continue
        saving = len(doc.pages) > 1 and last_page_fill(doc) < STRAY_PAGE
        if not saving:
            break
    return kept, index


def first_that_fits(htmls: list[str], max_pages: int | None, field_descriptions: dict[str, str] | None = None) -> tuple[bytes, int]:
    """Make the PDF (as :func:`html_to_pdf`) of the layout :func:`choose_layout` chooses among
    ``htmls`` for ``max_pages``. Only the chosen layout is written as a PDF: writing and
    post-processing are about a third of a resource's time, and a version not chosen is never
    published.

    Returns:
        ``(pdf_bytes, page_count)``.

    Raises:
        ValueError: ``htmls`` is empty.
        macros.pdf_fetch.RefusedURL, RenderProblem: as :func:`html_to_pdf`.
    """
    from macros import pdf_lang, pdf_post

    pdf_lang.install()  # lang="en" on a fallback text -> /Lang (en) on its structure element
    with one_collection():
        doc, _ = choose_layout(htmls, max_pages)
        collect = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collect)
        try:
            out = io.BytesIO()
            doc.write_pdf(out, **PDF_OPTIONS)
        finally:
            logger.removeHandler(collect)
        if collect.messages:
            raise RenderProblem("; ".join(dict.fromkeys(collect.messages)))
        return pdf_post.finish(out.getvalue(), field_descriptions or {}), len(doc.pages)


def translation_unfinished(toolkit: Toolkit, resource_id: str, source: Toolkit | None = None) -> bool:
    """True if ``toolkit`` is a translated edition (``source``, the content as loaded, given and
    not ``toolkit``) whose translation of the resource is not finished: some of its texts have
    none yet (printed in English) or are stale; the warning of :func:`check_page_budget` for
    such a sheet says so."""
    if source is None or toolkit is source:
        return False
    return bool(toolkit.fallback.get(resource_id) or toolkit.stale.get(resource_id))


def check_page_budget(toolkit: Toolkit, resource_id: str, pages: int, source: Toolkit | None = None) -> str | None:
    """Check a resource's page count, as printed in ``toolkit``'s language, against its
    ``max_pages`` (the build has tried the compact style by then, :func:`choose_layout`).

    Returns None when it fits. Only the English sheet is held to the budget: running past it
    is the English editor's own edit, which fails the build. A translated edition (``source``,
    the content as loaded, given and not ``toolkit``) never fails the build on its page
    budget: English content always publishes, and a correct English-only edit (a new
    audience, a new item) must not fail because the finished translation of the same sheet
    now prints longer. The longer translated sheet is published and a warning returned (the
    message below) naming the translation file to shorten; while the translation is not
    finished (:func:`translation_unfinished`) the warning says so too.

    The message starts with the place an editor sets ``max_pages``: the resource's file in
    ``source`` (default ``toolkit``) and the line and column of its ``max_pages:``
    (``content/resources/x.yml:10:12: max_pages: …``). For a translated edition it names the
    translation file to shorten, too.

    Raises:
        PageBudgetExceeded: the English sheet runs past its budget.
    """
    from macros import i18n
    from macros.reader.yaml_reader import read_document

    resource = toolkit.resources[resource_id]
    if pages <= resource.max_pages:
        return None
    rel = (source or toolkit).sources[resource_id]
    doc, _ = read_document(toolkit.root / rel, rel)
    line, col = doc.pos(("max_pages",)) if doc is not None else (0, 0)
    where = f"{rel}:{line}:{col}" if line else rel
    if source is None or toolkit is source:
        raise PageBudgetExceeded(
            f"{where}: max_pages: '{resource.title}' prints on {pages} pages, in the compact style too, but may use at most "
            f"{resource.max_pages} — shorten the text or remove items, or raise max_pages if the longer sheet is intended")
    language = i18n.LANGUAGE_NAMES.get(toolkit.language, toolkit.language)
    untranslated = len(toolkit.fallback.get(resource_id, []))
    stale = len(toolkit.stale.get(resource_id, []))
    sheet = (f"its {language} version, '{resource.title}', prints on {pages} pages, in the compact style too, "
             f"more than its max_pages of {resource.max_pages}")
    if translation_unfinished(toolkit, resource_id, source):
        lagging = "; ".join(part for part in (
            (f"{untranslated} of its texts {'has' if untranslated == 1 else 'have'} no {language} yet and "
             f"print{'s' if untranslated == 1 else ''} in English") if untranslated else "",
            (f"{stale} {'is' if stale == 1 else 'are'} stale, the English having changed since "
             f"{'it was' if stale == 1 else 'they were'} translated") if stale else "") if part)
        return (f"{where}: max_pages: {sheet}: published that way while its translation is not finished: {lagging}. "
                f"Once it is, shorten the {language} text in {toolkit.sources[resource_id]} if it still runs over "
                "(texts printed in English are as long as the English), or raise max_pages here")
    return (f"{where}: max_pages: {sheet}: published that way — shorten the {language} text in "
            f"{toolkit.sources[resource_id]}, or raise max_pages here if the longer sheet is intended")

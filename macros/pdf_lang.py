"""Language tags inside PDFs: a ``lang`` attribute on an element becomes ``/Lang`` on the
structure element WeasyPrint makes from it.

WeasyPrint 70 writes the document language (``/Lang`` in the catalog, from ``<html lang>``)
but gives structure elements no ``/Lang`` (``weasyprint/pdf/tags.py``, ``_build_box_tree``).
A Spanish PDF that shows an English text not yet translated
(``<span class="tk-fallback" lang="en">``) must say so to screen readers: PDF 1.7
(ISO 32000-1) 14.9.2 "Natural Language Specification" lets a structure element carry its own
``/Lang``, which applies to its content.

:func:`install` wraps WeasyPrint's ``_build_box_tree`` (a generator that yields the structure
elements made for one box, and calls itself through the module for the children) so every
element made for a box whose HTML element has a ``lang`` attribute gets that ``/Lang``. It is
idempotent and raises :class:`RuntimeError` when the WeasyPrint in use has no such function
(the pinned version in ``requirements.txt`` has; ``tests/test_translation_fallback.py`` checks
the tag in a real PDF, so an upgrade that changes this is caught).
"""
from __future__ import annotations

_INSTALLED = False


def install() -> None:
    """Make WeasyPrint copy ``lang`` attributes onto structure elements (see the module
    docstring). Safe to call more than once.

    Raises:
        RuntimeError: this WeasyPrint has no ``weasyprint.pdf.tags._build_box_tree``.
    """
    global _INSTALLED
    if _INSTALLED:
        return
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:
        raise RuntimeError("this WeasyPrint has no pdf.tags._build_box_tree; macros/pdf_lang.py needs updating")

    def build_box_tree(box, parent, pdf, page_number, nums, annotations, tags_):
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            lang = element.get("lang")
        for struct in original(box, parent, pdf, page_number, nums, annotations, tags_):
            if lang and "Lang" not in struct:
                struct["Lang"] = pydyf.String(lang)
            yield struct

    tags._build_box_tree = build_box_tree
    _INSTALLED = True

"""Warm-up of the PDF worker processes (issue #14).

``build_pdfs.py`` has its forkserver import this module before it forks the workers. Importing
it lays out, writes, post-processes and checks one small print document with the toolkit's
own fonts, components and print rules, so every worker (and every replacement worker) starts
with WeasyPrint, Pango, HarfBuzz and fontconfig initialised, the main print stylesheet parsed
and its fonts loaded, instead of paying for that on its first real PDF (about 0.15 s CPU per
worker and language, measured on the project's 2-core machine). A failure here is ignored: the workers then simply start cold.

Then it moves every object alive in the server (WeasyPrint, fonts, the parsed stylesheet,
about 90,000 objects) into the garbage collector's permanent generation (``gc.freeze``), as
the Python documentation advises before forking: the workers' collections no longer walk
them (which halved the collector's time in a render) and no longer write to their pages, so
those pages stay shared between the workers instead of being copied into each.
"""
from __future__ import annotations

import atexit
import gc
from html import escape

from macros import pdf, render

_BODY = """<h1>{t}</h1><p>{t} <b>{t}</b> <i>{t}</i> <b><i>{t}</i></b></p>
<table><thead><tr><th scope="col">{t}</th><th scope="col">{t}</th></tr></thead>
<tbody><tr><td>{t}</td><td><input type="text" name="a" aria-label="{t}"></td></tr></tbody></table>
<ul><li><input type="checkbox" name="b" aria-label="{t}"> {t}</li></ul>"""


def warm_up() -> None:
    """Render one small tagged, fillable PDF in this process (see the module docstring), with
    the print documents' main stylesheet (:func:`macros.pdf.print_css`), which stays parsed,
    its fonts loaded, in this process's cache for the processes forked from it."""
    css = pdf.print_css()
    text = escape("Work-based learning · Aprendizaje basado en el trabajo")
    html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{text}</title>'
            f"<style>{css}</style></head><body>{_BODY.format(t=text)}</body></html>")
    pdf.html_to_pdf(html)


try:
    warm_up()
except Exception:  # noqa: BLE001 - an optimisation only; the real renders report problems
    pass
gc.collect()
gc.freeze()
# Unfrozen again when the server exits, before Python tears its modules down (exit functions
# run last-registered first): macros.pdf's own exit function then frees the font configuration,
# which removes its temporary folder (finalized later, with its modules gone, it fails and
# leaves the folder behind).
atexit.register(gc.unfreeze)

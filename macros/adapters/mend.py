"""Mending of the theme's own markup that the Nu Html Checker reports as invalid.

Material for MkDocs (and Zensical's classic theme, built from it) put ``autocomplete="off"`` on
its checkbox toggles (``<input class="md-toggle">``), where HTML allows it only on text-like
inputs, and empty ``tabindex=""`` attributes on navigation labels. Both do nothing in
browsers; removing them makes the pages valid. Run by each site adapter after its build.
"""
from __future__ import annotations

import re
from pathlib import Path


def mend_html(html: str) -> str:
    """``html`` without the two invalid attributes described in the module docstring."""
    html = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", html)
    html = re.sub(r'(<input[^>]*class="md-toggle[^"]*"[^>]*?) autocomplete="off"', r"\1", html)
    return html.replace(' tabindex=""', "")


def mend_site(site_dir: Path) -> None:
    """Apply :func:`mend_html` to every HTML page under ``site_dir`` (rewriting only pages
    that change)."""
    for page in site_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        mended = mend_html(text)
        if mended != text:
            page.write_text(mended, encoding="utf-8")

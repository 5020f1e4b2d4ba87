"""Helpers for asserting on built HTML and PDF text."""
from __future__ import annotations

import html
import re

import lxml.html

from macros import model as m
from macros.render import plain_text



def plain(text: str) -> str:
    """Inline Markdown -> the plain words a reader sees, whitespace collapsed."""
    return norm(plain_text(text))


def norm(text: str) -> str:
    """Collapse whitespace (PDF text wraps lines anywhere) and unescape entities."""
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def page_text(path) -> str:
    """Visible text of a built HTML page's main content, whitespace collapsed."""
    doc = lxml.html.parse(str(path)).getroot()
    article = doc.cssselect("article") or [doc]
    return norm(article[0].text_content())


def expected_texts(r: m.ResourceBase) -> list[str]:
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


def item_count(r: m.ResourceBase) -> int:
    """How many items a resource has, counted the way the content brief counts them."""
    if isinstance(r, m.Checklist):
        return sum(len(p.items) for p in r.phases)
    if isinstance(r, m.TipSheet):
        return len(r.tips)
    if isinstance(r, m.FactSheet):
        return len(r.sections)
    if isinstance(r, m.Reflection):
        # prompts: every field after the header part, and each rating grid as one prompt
        return sum(len(p.fields) + (1 if p.rating else 0) for p in r.parts[1:])
    return sum(len(p.fields) for p in r.parts)


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

"""Page bodies as Markdown sources a site generator reads with its own table of contents.

The toolkit renders every page body as HTML (the same partial templates as the PDFs). A site
generator that builds from Markdown (MkDocs, Zensical: both use Python-Markdown) treats a block
of raw HTML as opaque, so the headings inside it would be missing from the page's table of
contents, its permalinks and its search sections. Python-Markdown's ``md_in_html`` extension
(enabled in ``mkdocs.yml``) reads an element marked ``markdown="block"`` as Markdown, and one
marked ``markdown="span"`` as inline Markdown; its other children stay raw HTML, untouched.

:func:`markdown_source` marks exactly the elements that lead to a heading, so each ``<hN>``
becomes a real heading of the generator's document, and every other element (lists, form
controls, the editors' text) stays raw HTML that no Markdown or template engine ever reads.
Characters inline Markdown would act on inside a heading (``*``, ``_``, backquote, brackets,
backslash, braces, ``!``) are written as character references, so a title like
``Step *1* {draft}`` is shown exactly as written.

Source: Python-Markdown, "Markdown in HTML" extension documentation
(https://python-markdown.github.io/extensions/md_in_html/).
"""
from __future__ import annotations

from html.parser import HTMLParser

import markdown

#: Characters inline Markdown (and attr_list's ``{: …}``) interprets, as character references.
_INLINE_SPECIALS = {c: f"&#{ord(c)};" for c in "*_`[]\\{}!"}

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
#: Elements Python-Markdown reads as the start of an HTML block (its own list).
_BLOCK_LEVEL = frozenset(markdown.Markdown().block_level_elements)
#: Elements never given a ``markdown`` attribute (void or raw-text elements).
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Scan(HTMLParser):
    """Finds each start tag's offset, the tags that enclose a heading, and heading text."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.line_starts = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.line_starts.append(i + 1)
        self.stack: list[tuple[str, int]] = []  # (tag, index into self.starts)
        self.starts: list[tuple[int, int, str]] = []  # (offset, length, tag)
        self.parent: list[int | None] = []  # index of each start tag's enclosing element
        self.mark: dict[int, str] = {}  # index into self.starts -> "block" | "span"
        self.heading_text: list[tuple[int, int]] = []  # (offset, length) of text in headings
        self.in_heading = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag, attrs):  # noqa: D102 - HTMLParser hook
        raw = self.get_starttag_text() or ""
        index = len(self.starts)
        self.starts.append((self._offset(), len(raw), tag))
        self.parent.append(self.stack[-1][1] if self.stack else None)
        if tag in _VOID or raw.endswith("/>"):
            return
        if tag in _HEADINGS:
            self.mark[index] = "span"
            for _, parent in self.stack:
                self.mark.setdefault(parent, "block")
            self.in_heading += 1
        self.stack.append((tag, index))

    def handle_endtag(self, tag):  # noqa: D102 - HTMLParser hook
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.stack[depth][0] == tag:
                if tag in _HEADINGS:
                    self.in_heading -= 1
                del self.stack[depth:]
                return

    def handle_data(self, data):  # noqa: D102 - HTMLParser hook
        if self.in_heading and data:
            self.heading_text.append((self._offset(), len(data)))


def markdown_source(html: str) -> str:
    """``html`` (a page body) with ``markdown="block"`` on every element that encloses a
    heading and ``markdown="span"`` on every heading, and Markdown's inline characters inside
    headings written as character references; a block-level element directly inside a marked
    one starts on a line of its own (Markdown finds HTML blocks only at the start of a line). Everything else is returned byte for byte.

    The result is meant as the body of a Markdown page read with ``md_in_html`` (and
    ``attr_list``, ``toc``) enabled; see the module docstring. Raises nothing: text that is not
    well-formed HTML is returned with whatever marks could be placed.
    """
    scan = _Scan(html)
    scan.feed(html)
    scan.close()
    edits: list[tuple[int, int, str]] = []  # (offset, length to replace, replacement)
    for index, how in scan.mark.items():
        offset, length, _ = scan.starts[index]
        close = offset + length - 1  # the start tag's ">"
        edits.append((close, 0, f' markdown="{how}"'))
    for index, (offset, _, tag) in enumerate(scan.starts):
        parent = scan.parent[index]
        inside_markdown = parent is None or scan.mark.get(parent) == "block"
        if inside_markdown and tag in _BLOCK_LEVEL and offset and html[offset - 1] != "\n":
            # Markdown finds block-level HTML only at the start of a line; whitespace between
            # block-level elements changes nothing on the page.
            edits.append((offset, 0, "\n"))
    for offset, length in scan.heading_text:
        chunk = html[offset:offset + length]
        escaped = "".join(_INLINE_SPECIALS.get(c, c) for c in chunk)
        if escaped != chunk:
            edits.append((offset, length, escaped))
    out = html
    for offset, length, text in sorted(edits, key=lambda e: e[0], reverse=True):
        out = out[:offset] + text + out[offset + length:]
    return out

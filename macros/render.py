"""Rendering core: content models -> HTML, shared by the web pages and the print documents.

One Jinja2 environment (autoescaping on, undefined names are errors) renders the partials in
``macros/templates/partials/``: one per resource kind. The web page wrapper
(``web/*.html``) and the print document (``print/document.html``) both include the same
partial, so a resource's content is written once.

Content text is data: it is converted from inline Markdown to HTML by :func:`inline_markdown`
(raw HTML is escaped, never passed through, then sanitised by nh3) and is never evaluated as a
template, so ``{{ 7*7 }}`` in content is printed as ``{{ 7*7 }}``.

Texts of a translated edition that have no translation yet are :class:`macros.i18n.Fallback`
strings. Wherever one is printed (``{{ r.title }}`` or ``md(item.text)``) it comes out inside
``<span class="tk-fallback" lang="en">``, so screen readers switch voice (and the PDF tags that
span with ``/Lang``, :mod:`macros.pdf_lang`); a page or print document that holds one shows the
"not yet translated" notice where its template puts ``{{ notice }}``. In HTML attributes use
``{{ value|bare }}`` (the words without the element).

This module knows nothing about MkDocs or WeasyPrint.
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Literal

import jinja2
import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from macros import model as m
from macros import urls
from macros.loader import Toolkit

TEMPLATES = Path(__file__).parent / "templates"
ASSETS = Path(__file__).parent / "assets"

Mode = Literal["web", "print"]

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).disable(["image"], ignoreInvalid=True)

#: Class of the element around a text shown in another language than the page's.
FALLBACK_CLASS = "tk-fallback"
_FALLBACK_OPEN = f'<span class="{FALLBACK_CLASS}" lang="'
#: Where a template wants the "not yet translated" notice; replaced after rendering.
_NOTICE_SLOT = "<!--tk-fallback-notice-->"


def mark_language(value):
    """``value`` as it goes into HTML: a :class:`macros.i18n.Fallback` becomes
    ``<span class="tk-fallback" lang="en">words</span>`` (escaped words); anything else is
    returned unchanged (Jinja escapes it as usual)."""
    from macros.i18n import Fallback

    if isinstance(value, Fallback):
        return Markup(f'{_FALLBACK_OPEN}{value.lang}">') + escape(str(value)) + Markup("</span>")
    return value


def bare(value):
    """The words of a text without any language element (for HTML attributes and ``<title>``)."""
    return str.__str__(value) if isinstance(value, str) else value
_ALLOWED_TAGS = {"a", "strong", "em", "code", "br"}
_INTERNAL_RE = re.compile(r"^(resource|activity|page):([^#]*)(#.*)?$")


@dataclass(frozen=True)
class Context:
    """Where HTML is being rendered for.

    ``mode``: ``"web"`` (links relative to ``page`` so they work under any sub-path and from
    ``mkdocs serve``) or ``"print"`` (links absolute under ``site_url``, for PDFs).
    ``page``: site path of the page being rendered (``"resources/x/"``); ignored in print.
    ``anchor_prefix``: put before the target of same-page links (``#before`` ->
    ``#<prefix>before``) where the page's ids carry that prefix (a resource in a packet).
    """

    mode: Mode
    page: str
    site_url: str
    anchor_prefix: str = ""

    def link(self, target: str) -> str:
        """URL of the site path ``target`` as seen from this page (or absolute in print)."""
        if self.mode == "print":
            return urls.absolute(target, self.site_url)
        return urls.relative(target, self.page)


def resolve_internal(href: str, ctx: Context) -> str:
    """Turn ``resource:<id>``, ``activity:<id>`` and ``page:<path>`` link targets into URLs,
    and same-page ``#anchor`` targets into ``#<ctx.anchor_prefix>anchor``; other targets are
    returned unchanged."""
    if href.startswith("#") and len(href) > 1:
        return "#" + ctx.anchor_prefix + href[1:]
    match = _INTERNAL_RE.match(href)
    if not match:
        return href
    kind, ident, anchor = match.groups()
    if kind == "resource":
        target = urls.resource_page(ident)
    elif kind == "activity":
        target = urls.activity_page(ident)
    else:
        target = ident.lstrip("/")
    return ctx.link(target) + (anchor or "")


def inline_markdown(text: str, ctx: Context) -> Markup:
    """Render one inline-Markdown text value to safe HTML.

    Raw HTML in ``text`` is escaped (shown literally), internal links are resolved, and the
    result is sanitised with nh3 to ``a``/``strong``/``em``/``code``/``br`` with http(s),
    mailto and tel links only. External links get ``rel="noopener"``. A
    :class:`macros.i18n.Fallback` text comes out inside ``<span class="tk-fallback" lang="…">``.
    """
    tokens = _md.parseInline(text)
    for block in tokens:
        for tok in block.children or []:
            if tok.type == "link_open":
                tok.attrs["href"] = resolve_internal(str(tok.attrs.get("href", "")), ctx)
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    )
    if ctx.mode == "print":
        clean = breakable_long_words(clean)
    lang = getattr(text, "lang", None)  # a Fallback: English words in a translated edition
    if lang:
        return Markup(f'{_FALLBACK_OPEN}{lang}">{clean}</span>')
    return Markup(clean)


#: In print, a run of at least this many characters without a space (a web or e-mail address
#: typed as text) is put in ``<span class="tk-long-word">``, which print.css lets break
#: anywhere: it can never push a table column past the page edge. Other words break only
#: where a line has no room for them (``overflow-wrap: break-word``), which keeps WeasyPrint
#: from sizing every table cell as if it could be one letter wide (a fifth of the layout time
#: of the real content, measured for issue #14).
LONG_WORD = 20
_LONG_WORD = re.compile(r"[^\s<>]{%d,}" % LONG_WORD)
_TAG = re.compile(r"(<[^>]*>)")


def breakable_long_words(html: str) -> str:
    """``html`` (sanitised inline HTML) with each long run of text (:data:`LONG_WORD`) outside
    its tags wrapped in ``<span class="tk-long-word">``."""
    parts = _TAG.split(html)
    for i in range(0, len(parts), 2):   # the text between the tags
        parts[i] = _LONG_WORD.sub(lambda m: f'<span class="tk-long-word">{m.group(0)}</span>', parts[i])
    return "".join(parts)


def plain_text(text: str) -> str:
    """Inline Markdown -> the plain words a reader sees (for PDF field descriptions, bookmarks
    and other places that cannot hold markup)."""
    html = str(inline_markdown(text, Context("print", "", "https://localhost/")))
    return re.sub(r"\s+", " ", nh3.clean(html, tags=set())).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&#39;", "'").strip()


def cell_name(prefix: str, part_id: str, row: int, column_id: str) -> str:
    """Form-field name of the cell in row ``row`` (1-based) and column ``column_id`` of a table
    part: ``<prefix><part-id>-r<row>-<column-id>``."""
    return f"{prefix}{part_id}-r{row}-{column_id}"


def blank_rating_name(prefix: str, part_id: str, n: int) -> str:
    """Form-field name of the statement written in blank row ``n`` of a rating grid; its
    rating is this name + ``-rating``."""
    return f"{prefix}{part_id}-blank{n}"


def _field_descriptions(f: m.FormField, prefix: str, suffix: str = "", before: str = "") -> dict[str, str]:
    """Name -> description of one form field (``suffix`` for a repeated copy, ``before`` the
    copy's words, e.g. ``"Station 2, "``)."""
    if f.type == "checkboxes":
        return {f"{prefix}{f.id}{suffix}-{i}": f"{before}{f.label}: {option}" for i, option in enumerate(f.options, start=1)}
    return {prefix + f.id + suffix: before + f.label}


def form_field_descriptions(r: m.ResourceBase, prefix: str = "", lang: str = "en", informal: bool = False) -> dict[str, str]:
    """Form-field name -> the words of its visible label, for every fillable field of ``r``.

    These become each PDF field's ``/TU`` (what a screen reader announces). Names match the
    ``name`` attributes the partial templates write (``prefix`` + id; ``-N`` per option for
    ``checkboxes`` fields; ``-N`` after the id in copy N of a repeated part; table cells by
    :func:`cell_name`, described as row and column, "Row 3, Hours"; blank rating rows by
    :func:`blank_rating_name`; an agreement's signature blocks by their field ids). A rating's
    fields add how to answer ("(rate 1, 2, 3 or N/A)") in ``lang``'s interface words
    (:func:`macros.i18n.ui`, informal if ``informal``: see :func:`macros.i18n.informal`); ``r``
    is the resource as published in ``lang`` (translated).
    """
    out: dict[str, str] = {}
    if isinstance(r, m.Checklist):
        for phase in r.phases:
            for item in phase.items:
                out[prefix + item.id] = plain_text(item.text)
    for part in getattr(r, "parts", []):
        for number, suffix in part.copies():
            before = f"{part.repeat_label} {number}, " if number is not None else ""
            for f in part.fields:
                out.update(_field_descriptions(f, prefix, suffix, before))
        if part.rating:
            g = part.rating
            scale = ", ".join(p.value for p in g.scale)
            from macros import i18n

            ui = i18n.ui(lang, informal)
            how = " " + (ui["rating_how_or"].format(scale=scale, other=g.not_applicable) if g.not_applicable
                         else ui["rating_how"].format(scale=scale))
            for item in g.items:
                out[prefix + item.id] = plain_text(item.text) + how
            for n in range(1, g.blank_rows + 1):
                name = blank_rating_name(prefix, part.id, n)
                out[name] = f"{g.blank_label} {n}"
                out[name + "-rating"] = f"{g.blank_label} {n}{how}"
        if part.table:
            t = part.table
            for row in range(1, t.row_count() + 1):
                preset = t.preset(row)
                for col in t.columns:
                    if col.id not in preset:
                        out[cell_name(prefix, part.id, row, col.id)] = f"{t.row_label} {row}, {col.label}"
    for party in getattr(r, "parties", []):
        for f in party.signature:
            out.update(_field_descriptions(f, prefix))
    return out


def plural_in_sentence(audience: m.Audience) -> str:
    """An audience's plural as written inside a sentence: first letter in lower case unless the
    first word is an abbreviation ("students", "WBL specialists")."""
    plural = audience.plural
    return plural if plural.split()[0].isupper() else plural[0].lower() + plural[1:]


def role_title(audience: m.Audience, lang: str = "en") -> str:
    """Title of an audience's role page: "For students", "For WBL specialists" ("Para …")."""
    from macros import i18n

    return i18n.UI[lang]["role_title"].format(plural=plural_in_sentence(audience))


def long_date(value: _dt.date, lang: str = "en") -> str:
    """``2026-11-20`` -> ``November 20, 2026`` (US style, as the district writes dates), or
    ``20 de noviembre de 2026`` in Spanish."""
    from macros import i18n

    return i18n.long_date(value, lang)


def css_string(text: str) -> Markup:
    """Quote ``text`` as a CSS string literal (for ``content:`` in page margin boxes); every
    character outside printable ASCII letters, digits and spaces is written as a CSS escape, so
    no content can end the string or the ``<style>`` element."""
    out = []
    for ch in str(text):
        if ch.isascii() and (ch.isalnum() or ch in " .,-"):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x} ")
    return Markup('"' + "".join(out) + '"')


class MemoryBytecodeCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the life of the process, for environments made
    with the same options (Jinja compares each template's source checksum, so an edited
    template is compiled again). See Jinja's "Bytecode Cache" documentation."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # noqa: D102 - Jinja hook
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:  # noqa: D102 - Jinja hook
        self.code[bucket.key] = bucket.bytecode_to_string()


#: Every :class:`Renderer`'s templates, compiled once per process (not once per language).
_COMPILED = MemoryBytecodeCache()


class Renderer:
    """Renders pages and print documents for one :class:`~macros.loader.Toolkit`.

    Args:
        toolkit: the loaded content, in one language (``toolkit.edition("es")`` for Spanish):
            interface words, dates and kind names follow ``toolkit.language``.
        site_url: absolute URL this language's site is published at (``…/es/`` for Spanish;
            used in PDFs and canonical links).
    """

    def __init__(self, toolkit: Toolkit, site_url: str):
        self.toolkit = toolkit
        self.site_url = site_url
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            finalize=mark_language,
            bytecode_cache=_COMPILED,
        )
        from macros import i18n

        self.lang = lang = toolkit.language
        ui = i18n.ui(lang, i18n.informal(toolkit.site))   # a page for everyone; see _words
        self.env.filters["long_date"] = lambda d: long_date(d, lang)
        self.env.filters["css_string"] = css_string
        self.env.filters["bare"] = bare
        self.env.globals.update(
            KIND_LABELS=i18n.KIND_LABELS[lang],
            urls=urls,
            site=toolkit.site,
            toolkit=toolkit,
            lang=lang,
            # the words of a page for everyone; a page or PDF for some audiences gets its own (_words)
            ui=ui,
            t=_translator(ui),
            mark=mark_language,
            stale=toolkit.stale,
            audience_label=lambda i: toolkit.site.audience(i).label,
            audience_plural=lambda i: toolkit.site.audience(i).plural,
            role_title=lambda a: role_title(a, lang),
            plural_in_sentence=plural_in_sentence,
        )

    # -- helpers --------------------------------------------------------------------------

    def _words(self, audiences) -> dict:
        """The templates' ``ui`` and ``t`` for a page or PDF written for ``audiences``
        (audience ids), in the register it speaks to them in (:func:`macros.i18n.informal`)."""
        from macros import i18n

        ui = i18n.ui(self.lang, i18n.informal(self.toolkit.site, audiences))
        return dict(ui=ui, t=_translator(ui))

    def field_descriptions(self, resource_id: str, prefix: str = "") -> dict[str, str]:
        """:func:`form_field_descriptions` of a resource of this edition, in the register its
        page and PDF speak in (:meth:`_words`).

        Raises:
            KeyError: no resource has this id.
        """
        from macros import i18n

        r = self.toolkit.resources[resource_id]
        return form_field_descriptions(r, prefix, self.lang, i18n.informal(self.toolkit.site, r.audiences))

    def _render(self, template: str, ctx: Context, **values) -> str:
        md = lambda text: inline_markdown(text, ctx)  # noqa: E731
        html = self.env.get_template(template).render(ctx=ctx, md=md, link=ctx.link, notice=Markup(_NOTICE_SLOT), **values)
        html = self._with_notice(html, "web")
        # No blank lines: Markdown must see the macro output as one raw HTML block.
        return "\n".join(line for line in html.splitlines() if line.strip())

    def fallback_notice(self, mode: Mode) -> Markup:
        """The "part of this page is not yet translated" notice, in this edition's language
        (an admonition on the web, a boxed line in print). Empty in the source language."""
        from macros import i18n

        ui = i18n.UI[self.lang]
        if not ui["fallback_notice"]:
            return Markup("")
        if mode == "print":
            return Markup('<p class="tk-fallback-notice" role="note"><strong>{}.</strong> {}</p>').format(ui["fallback_heading"], ui["fallback_notice_print"])
        return Markup('<div class="admonition info tk-fallback-notice" role="note"><p class="admonition-title">{}</p><p>{}</p></div>').format(ui["fallback_heading"], ui["fallback_notice"])

    def _with_notice(self, html: str, mode: Mode) -> str:
        """Put the notice where the template asked for it (``{{ notice }}``) when the document
        shows a text in another language; otherwise drop the slot."""
        shown = self.fallback_notice(mode) if _FALLBACK_OPEN in html else ""
        return html.replace(_NOTICE_SLOT, str(shown))

    def field_options(self, f: m.FormField) -> list[str]:
        """Options of a choice/checkboxes field; ``options_from: continuum`` lists every
        activity named on the WBL continuum, stage by stage."""
        if f.options_from == "continuum":
            seen: list[str] = []
            for stage in self.toolkit.site.continuum.stages:
                seen += [a.title for a in stage.activities if a.title not in seen]
            return seen
        return list(f.options)

    def web_context(self, page: str) -> Context:
        """Context for a web page at site path ``page``."""
        return Context("web", page, self.site_url)

    # -- web pages ---------------------------------------------------------------------------

    def resource_page(self, resource_id: str) -> str:
        """HTML of a resource's web page body (title, who it is for, Download PDF link, the
        content laid out for its kind, related resources).

        Raises:
            KeyError: no resource has this id.
        """
        r = self.toolkit.resources[resource_id]
        ctx = self.web_context(urls.resource_page(r.id))
        return self._render("web/resource.html", ctx, r=r, body=self.resource_body(r, ctx), **self._words(r.audiences))

    def resource_body(self, r: m.ResourceBase, ctx: Context, prefix: str = "") -> Markup:
        """The kind-specific partial for ``r`` (the part shared by web and print).

        ``prefix`` is put before every element id and form-field name, so several resources
        can share one document (the activity packet) without clashing."""
        kind = getattr(r, "kind")
        return Markup(self.env.get_template(f"partials/{kind}.html").render(
            r=r, ctx=ctx, p=prefix, md=lambda t: inline_markdown(t, ctx), options=self.field_options,
            audience_label=lambda i: self.toolkit.site.audience(i).label,
            cell_name=cell_name, blank_rating_name=blank_rating_name, **self._words(r.audiences),
        ))

    def activity_page(self, activity_id: str) -> str:
        """HTML of an activity page: definition, stage, introduction, Purpose / Structure /
        Format / Outcomes, notes, and Tools and Materials by group.

        Raises:
            KeyError: no activity has this id.
        """
        a = self.toolkit.activities[activity_id]
        ctx = self.web_context(urls.activity_page(a.id))
        return self._render("web/activity.html", ctx, a=a, stage=self.toolkit.site.stage(a.stage))

    def role_page(self, audience_id: str) -> str:
        """HTML of a role page ("For students"): the audience's description, then, activity by
        activity in continuum order, every resource written for it with its kind, one-line
        summary, page link and PDF link; then links to the other roles' pages.

        Raises:
            KeyError: no audience has this id.
        """
        aud = self.toolkit.site.audience(audience_id)
        ctx = self.web_context(urls.role_page(aud.id))
        groups = []
        for a in self.toolkit.activities.values():
            mine = [self.toolkit.resources[rid] for rid in a.resource_ids if aud.id in self.toolkit.resources[rid].audiences]
            if mine:
                groups.append((a, mine))
        return self._render("web/role.html", ctx, aud=aud, groups=groups, total=len(self.toolkit.resources_for(aud.id)),
                            **self._words([aud.id]))

    def continuum_page(self) -> str:
        """HTML of the WBL continuum page: every stage with its activities, linking those that
        have an activity page."""
        ctx = self.web_context(urls.CONTINUUM)
        return self._render("web/continuum.html", ctx, c=self.toolkit.site.continuum)

    def accessibility_page(self) -> str:
        """HTML of the accessibility statement (``accessibility`` in ``content/site.yml``)."""
        return self._render("web/accessibility.html", self.web_context(urls.ACCESSIBILITY))

    def home_page(self) -> str:
        """HTML of the home page body: introduction, activities, resources by audience."""
        return self._render("web/home.html", self.web_context(""))

    def redirect_page(self, moved, also=()) -> str:
        """Complete HTML document left at an old page URL after a rename: meta refresh and a
        visible link to ``moved.new`` (relative, so it works under any sub-path), a canonical
        link to its absolute URL, and a link to the new address of each move in ``also`` (the
        resource's PDF or the activity's packet).

        Args:
            moved: a :class:`macros.redirects.Moved` of kind ``"page"``.
            also: further :class:`~macros.redirects.Moved` out of the same old folder.
        """
        ctx = self.web_context(moved.old)
        return self.env.get_template("web/redirect.html").render(
            moved=moved, also=list(also), link=ctx.link, site_url=self.site_url,
            canonical=urls.absolute(moved.new, self.site_url),
        )

    def folder_page(self, folder: str, target: str, title: str) -> str:
        """Complete HTML document for a folder of page URLs that has no page of its own
        (:data:`macros.urls.FOLDER_PAGES`, e.g. ``resources/``): it sends the browser on to
        ``target`` (a site path; meta refresh, relative so it works under any sub-path) and
        shows a link to it named ``title``; search engines are told not to index it. Without
        it a trimmed link got a 404 or, on a plain file server, a listing of folders."""
        ctx = self.web_context(folder)
        return self.env.get_template("web/folder.html").render(
            target=target, title=title, link=ctx.link, canonical=urls.absolute(target, self.site_url))

    # -- print ----------------------------------------------------------------------------------

    def _print_context(self) -> Context:
        return Context("print", "", self.site_url)

    def _print_globals(self, ctx: Context, css: str) -> dict:
        from macros import i18n

        title = i18n.UI[self.lang]["qr_title"]
        return dict(ctx=ctx, md=lambda t: inline_markdown(t, ctx), plain=plain_text, link=ctx.link,
                    css=Markup(css), brand_css=Markup(brand_css(self.toolkit.site)),
                    qr=lambda url: qr_svg(url, title.format(url=url)))

    def print_document(self, resource_id: str, css: str) -> str:
        """Complete HTML document for printing ``resource_id`` to PDF.

        ``css`` is the stylesheet text to embed (fonts, brand, components, print rules); see
        :func:`macros.pdf.print_css`.

        Raises:
            KeyError: no resource has this id.
        """
        r = self.toolkit.resources[resource_id]
        ctx = self._print_context()
        html = self.env.get_template("print/document.html").render(
            r=r, prefix="", body=self.resource_body(r, ctx), notice=Markup(_NOTICE_SLOT),
            page_url=ctx.link(urls.resource_page(r.id)), **self._print_globals(ctx, css), **self._words(r.audiences),
        )
        return self._with_notice(html, "print")

    def packet_prefix(self, resource_id: str) -> str:
        """Id and field-name prefix of a resource inside a packet: :func:`packet_prefix`."""
        return packet_prefix(resource_id)

    def print_packet(self, activity_id: str, css: str) -> str:
        """Complete HTML document of an activity's packet: a cover with the contents (page
        numbers filled in by the renderer), then every resource in toolkit order, each
        starting on a new page with its own ids and field names (see :meth:`packet_prefix`).

        Raises:
            KeyError: no activity has this id.
        """
        a = self.toolkit.activities[activity_id]
        ctx = self._print_context()
        items = []
        for g in a.tools:
            for rid in g.resources:
                r = self.toolkit.resources[rid]
                prefix = self.packet_prefix(rid)
                rctx = Context("print", "", self.site_url, anchor_prefix=prefix)  # its own #links
                from macros.i18n import has_fallback

                items.append(dict(
                    r=r, group=g.id, prefix=prefix, body=self.resource_body(r, rctx, prefix),
                    notice=self.fallback_notice("print") if has_fallback(r) else Markup(""),
                    page_url=ctx.link(urls.resource_page(rid)), md=lambda t, c=rctx: inline_markdown(t, c),
                ))
        revised = max([a.revised] + [i["r"].revised for i in items])
        html = self.env.get_template("print/packet.html").render(
            a=a, stage=self.toolkit.site.stage(a.stage), packet_items=items, revised=revised,
            notice=Markup(_NOTICE_SLOT),
            activity_url=ctx.link(urls.activity_page(a.id)), **self._print_globals(ctx, css),
        )
        return self._with_notice(html, "print")


def _translator(ui: dict[str, str]) -> Callable[..., Markup]:
    """The templates' ``t(key, **values)``: the interface words ``ui[key]`` with ``values``
    put in, Markup-aware (a value is escaped unless it is already HTML, e.g. a marked title)."""
    return lambda key, **kw: Markup(escape(ui[key])).format(**{k: mark_language(v) for k, v in kw.items()})


def packet_prefix(resource_id: str) -> str:
    """Id and field-name prefix of a resource inside a packet (``<resource-id>--``)."""
    return resource_id + "--"


@functools.lru_cache(maxsize=256)
def qr_svg(url: str, title: str | None = None) -> Markup:
    """An inline SVG QR code (segno, error correction M) linking to ``url``; its ``<title>``
    (default "QR code linking to <url>") becomes the figure's alternate text in tagged PDFs.
    Remembered per URL and title: segno takes ~30 ms to choose the best mask, and a packet's
    cover is written twice (for a contents of one page and of two)."""
    import segno

    svg = segno.make(url, error="m", micro=False).svg_inline(
        scale=2, border=0, dark="#000000", title=title or f"QR code linking to {url}", omitsize=True,
    )
    return Markup(svg)


def brand_css(site: m.SiteContent) -> str:
    """CSS custom properties for the brand colours in ``content/site.yml``, also mapped onto
    Material's ``--md-primary-*`` / ``--md-accent-*`` variables for the web theme."""
    b = site.district.brand
    return (
        ":root{"
        f"--tk-primary:{b.primary};--tk-primary-dark:{b.primary_dark};--tk-accent:{b.accent};"
        "}\n"
        "[data-md-color-primary=custom]{"
        f"--md-primary-fg-color:{b.primary};--md-primary-fg-color--light:{b.primary};"
        f"--md-primary-fg-color--dark:{b.primary_dark};--md-primary-bg-color:#ffffff;"
        "}\n"
        "[data-md-color-accent=custom]{"
        f"--md-accent-fg-color:{b.accent};--md-accent-fg-color--transparent:{b.accent}1a;"
        "}\n"
    )


def font_css(url_for: Callable[[Path], str]) -> str:
    """``@font-face`` rules for the toolkit's typeface, Atkinson Hyperlegible (SIL OFL 1.1,
    Braille Institute; shipped by the PyPI package ``fontpkg-atkinson-hyperlegible``).

    ``url_for(path)`` maps each TTF file to the URL the output should use (a relative URL on
    the web, a ``file:`` URL that the PDF URL fetcher allows in print).
    """
    rules = []
    for weight, style, path in font_files():
        rules.append(
            "@font-face{font-family:'Atkinson Hyperlegible';"
            f"src:url('{url_for(path)}') format('truetype');"
            f"font-weight:{weight};font-style:{style};font-display:swap;}}"
        )
    return "\n".join(rules) + "\n"


EMOJI_PACKAGE = Path(__file__).resolve().parent.parent / "node_modules" / "@fontsource" / "noto-emoji"


def _ranges(spec: str) -> list[tuple[int, int]]:
    out = []
    for part in spec.split(","):
        part = part.strip().upper().removeprefix("U+")
        lo, _, hi = part.partition("-")
        out.append((int(lo, 16), int(hi or lo, 16)))
    return out


def emoji_font_css(url_for: Callable[[Path], str], text: str | None = None) -> str:
    """``@font-face`` rules for Noto Emoji (monochrome outlines, SIL OFL 1.1, Google; npm
    package ``@fontsource/noto-emoji``), one per ``unicode-range`` subset, WOFF2 only. The
    print stylesheet names it after the text face, so symbols such as ✅ that Atkinson
    Hyperlegible lacks render instead of showing as empty boxes.

    ``text``: when given, only the subsets covering a character of ``text`` are declared
    (loading every WOFF2 subset costs about a second per document).

    Raises:
        RuntimeError: the npm package is not installed (run the README's set-up).
    """
    css_path = EMOJI_PACKAGE / "400.css"
    if not css_path.exists():
        raise RuntimeError("the npm package @fontsource/noto-emoji is not installed; run `make setup`")
    css = css_path.read_text(encoding="utf-8")
    css = re.sub(r", url\(\./files/[^)]+\.woff\) format\('woff'\)", "", css)
    if text is not None:
        used = {ord(ch) for ch in text if ord(ch) > 0x7F}
        rules = re.findall(r"/\*[^*]*\*/\s*@font-face\s*{[^}]*}", css)
        keep = []
        for rule in rules:
            spec = re.search(r"unicode-range:\s*([^;]+);", rule)
            if spec and any(lo <= c <= hi for lo, hi in _ranges(spec.group(1)) for c in used):
                keep.append(rule)
        css = "\n".join(keep)
    return re.sub(r"url\(\./files/([^)]+)\)", lambda m: f"url('{url_for(EMOJI_PACKAGE / 'files' / m.group(1))}')", css)


def font_files() -> list[tuple[int, str, Path]]:
    """The four TTF files of Atkinson Hyperlegible as ``(weight, style, path)``.

    Raises:
        RuntimeError: the font package is not installed (run the README's set-up).
    """
    try:
        import fontpkg_atkinson_hyperlegible as pkg
    except ImportError as exc:  # pragma: no cover - set-up problem
        raise RuntimeError("the font package fontpkg-atkinson-hyperlegible is not installed; run `make setup`") from exc
    base = Path(pkg.__file__).parent / "files"
    return [
        (400, "normal", base / "AtkinsonHyperlegible-Regular.ttf"),
        (400, "italic", base / "AtkinsonHyperlegible-Italic.ttf"),
        (700, "normal", base / "AtkinsonHyperlegible-Bold.ttf"),
        (700, "italic", base / "AtkinsonHyperlegible-BoldItalic.ttf"),
    ]

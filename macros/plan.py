"""The build plan: every output of a build, derived once from the loaded content.

A build loads ``content/`` once (:func:`macros.loader.load_toolkit`, which also builds every
language edition) and calls :func:`make_plan`. Everything after reads the plan, never the
content files:

* the **site adapter** (:mod:`macros.adapters`) writes each :class:`Page` as a source file for
  the site generator (MkDocs + Material, or Zensical) and takes the navigation from
  :attr:`EditionPlan.nav`;
* the **print pipeline** (``build_pdfs.py``) renders each :class:`Document` (resource PDFs and
  activity packets), keyed in its cache on :attr:`Document.inputs`;
* :class:`StaticFile` outputs (redirect pages at old URLs, ``_redirects``) are written into the
  built site as they are;
* the catalog (``resources.json``) is written once, after the PDFs (it lists their sizes);
* :meth:`BuildPlan.expected` lists every file the finished site must have, checked before the
  new site replaces the old one.

Site paths are relative to the site root and use ``/``; an edition other than English lives
under ``<lang>/`` (:attr:`EditionPlan.folder`). ``inputs`` are content files relative to the
project root (``content/resources/x.yml``, ``content/translations/es/resources/x.yml``).

This module knows nothing about MkDocs, Zensical or WeasyPrint.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Literal

from macros import redirects, urls
from macros.loader import Toolkit, site_url
from macros.render import Renderer, role_title

#: Where each kind of page comes from, by the render method of :class:`~macros.render.Renderer`.
PageKind = Literal["home", "continuum", "accessibility", "role", "activity", "resource"]


@dataclass(frozen=True)
class Page:
    """One web page: its kind and the id it shows (``""`` for one-of-a-kind pages), its site
    path (``resources/x/``; ``""`` for the home page), its title and description (plain text)
    and the content files it depends on. :meth:`body` renders it."""

    kind: PageKind
    ident: str
    path: str
    title: str
    description: str
    inputs: tuple[str, ...]
    hide_toc: bool = False

    @property
    def source(self) -> str:
        """The page's source file for the site generator: ``<path>index.md``. In the page's
        own folder, so a relative link means the same from the source as from the page."""
        return self.path + "index.md"

    def body(self, renderer: Renderer) -> str:
        """The page body as HTML (``renderer`` must be this page's edition's)."""
        method = getattr(renderer, f"{self.kind}_page")
        return method(self.ident) if self.ident else method()


@dataclass(frozen=True)
class Document:
    """One PDF: ``name`` (a resource id, or ``packet:<activity-id>``; ``<lang>:`` first for a
    language other than English), ``kind`` (``resource`` or ``packet``), the id it prints,
    its site path, the content file it is made from (for messages), every content file it
    depends on (its cache key) and, for a resource, the page budget ``max_pages``."""

    name: str
    kind: Literal["resource", "packet"]
    ident: str
    path: str
    source: str
    inputs: tuple[str, ...]
    max_pages: int | None = None


@dataclass(frozen=True)
class StaticFile:
    """A finished file written into the site as it is (not built by the site generator):
    redirect pages at old URLs and ``_redirects``. ``text()`` gives its contents."""

    path: str
    text: Callable[[], str]


@dataclass
class EditionPlan:
    """Everything one language edition publishes.

    Attributes:
        toolkit: the edition's content (:meth:`macros.loader.Toolkit.edition`).
        folder: where the edition sits in the site: ``""`` (English) or ``"es/"``.
        site_url: the absolute URL the edition is published at (ends in ``/``).
        renderer: the one :class:`~macros.render.Renderer` (Jinja environment) of the edition.
        pages, documents, files: its outputs, in site order.
        nav: the navigation as ``[(title, source path or nested list)]``.
    """

    toolkit: Toolkit
    folder: str
    site_url: str
    renderer: Renderer
    pages: list[Page] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    files: list[StaticFile] = field(default_factory=list)
    nav: list = field(default_factory=list)

    @property
    def language(self) -> str:
        """The edition's language code (``en``, ``es``)."""
        return self.toolkit.language

    def expected(self) -> list[str]:
        """Every file the edition's folder must hold after a build, as paths inside it."""
        out = [(p.path + "index.html") for p in self.pages]
        out += [d.path for d in self.documents]
        out += [f.path for f in self.files]
        out += [urls.CATALOG, "sw.js"]  # the catalog; the offline service worker (macros/offline.py)
        return out


@dataclass
class BuildPlan:
    """The plan of a whole build: the loaded English toolkit and one :class:`EditionPlan`
    per language (English first)."""

    root: Path
    toolkit: Toolkit
    editions: list[EditionPlan]

    def expected(self) -> list[str]:
        """Every file the finished site must hold, as site paths (``es/…`` for Spanish): each
        edition's, the translation status report and the web editor at the site root."""
        from macros.translation_status import STATUS_FILE

        site_wide = [STATUS_FILE, "admin/index.html", "admin/config.yml"]
        return [e.folder + path for e in self.editions for path in e.expected()] + site_wide

    def documents(self) -> list[tuple[EditionPlan, Document]]:
        """Every PDF of every edition, with its edition."""
        return [(e, d) for e in self.editions for d in e.documents]


def make_plan(toolkit: Toolkit, languages: list[str] | None = None) -> BuildPlan:
    """The plan of every output of ``toolkit`` (the loaded English content with its editions).

    Args:
        languages: the editions to plan (default: English and every translation).

    Raises:
        ContentError: the site URL (``$TOOLKIT_SITE_URL`` or ``site.yml``) is not a web address.
        KeyError: a language in ``languages`` has no edition.
    """
    langs = languages or [toolkit.language, *toolkit.editions]
    editions = [_edition(toolkit, toolkit.edition(lang)) for lang in langs]
    # one host redirect file for every edition, at the site root (the only one hosts read)
    root = next((e for e in editions if not e.folder), editions[0])
    root.files.append(StaticFile(redirects.REDIRECTS_FILE,
                                 lambda: redirects.redirects_file([(e.toolkit, e.site_url) for e in editions])))
    return BuildPlan(toolkit.root, toolkit, editions)


def _edition(english: Toolkit, tk: Toolkit) -> EditionPlan:
    lang = tk.language
    url = site_url(tk)
    folder = "" if lang == english.language else f"{lang}/"
    plan = EditionPlan(tk, folder, url, Renderer(tk, url))

    def files_of(content_id: str) -> list[str]:
        """The English file of ``content_id`` and, in a translated edition, its translation."""
        own = [english.sources[content_id]]
        return own + ([tk.sources[content_id]] if lang != english.language and content_id in tk.sources else [])

    site_files = ["content/site.yml"] + ([tk.sources["site"]] if "site" in tk.sources and lang != english.language else [])
    activity_files = [f for aid in tk.activities for f in files_of(aid)]
    every = tuple(dict.fromkeys(site_files + activity_files + [f for rid in tk.resources for f in files_of(rid)]))
    shared = site_files + activity_files

    site = tk.site
    plan.pages.append(Page("home", "", "", site.district.toolkit_name, site.district.tagline, every, hide_toc=True))
    plan.pages.append(Page("continuum", "", urls.CONTINUUM, site.continuum.title, site.continuum.title, tuple(site_files + activity_files)))
    for aud in site.audiences:
        plan.pages.append(Page("role", aud.id, urls.role_page(aud.id),
                               role_title(aud, lang), aud.description, every))
    for a in tk.activities.values():
        inputs = shared + [f for rid in a.resource_ids for f in files_of(rid)]
        plan.pages.append(Page("activity", a.id, urls.activity_page(a.id),
                               a.title, a.definition, tuple(dict.fromkeys(inputs))))
    for r in tk.resources.values():
        inputs = shared + files_of(r.id) + [f for rid in r.related for f in files_of(rid)]
        plan.pages.append(Page("resource", r.id, urls.resource_page(r.id),
                               r.title, r.summary, tuple(dict.fromkeys(inputs))))
    plan.pages.append(Page("accessibility", "", urls.ACCESSIBILITY, site.accessibility.title,
                           site.accessibility.title, tuple(site_files)))

    prefix = "" if not folder else folder.rstrip("/") + ":"
    # Packets first: the longest renders start first and overlap the short ones.
    for a in tk.activities.values():
        inputs = shared + [f for rid in a.resource_ids for f in files_of(rid)]
        plan.documents.append(Document(f"{prefix}packet:{a.id}", "packet", a.id, urls.activity_packet(a.id),
                                       tk.sources[a.id], tuple(dict.fromkeys(inputs))))
    for r in tk.resources.values():
        plan.documents.append(Document(prefix + r.id, "resource", r.id, urls.resource_pdf(r.id), tk.sources[r.id],
                                       tuple(dict.fromkeys(shared + files_of(r.id))), r.max_pages))

    titles = {"": site.district.toolkit_name, urls.CONTINUUM: site.continuum.title}
    for folder_, target in urls.FOLDER_PAGES.items():
        plan.files.append(StaticFile(folder_ + "index.html",
                                     lambda f=folder_, t=target: plan.renderer.folder_page(f, t, titles[t])))
    for old_folder, (moved, also) in redirects.redirect_pages(tk).items():
        plan.files.append(StaticFile(old_folder + "index.html",
                                     lambda m=moved, x=also: plan.renderer.redirect_page(m, x)))

    plan.nav = _nav(plan)
    return plan


def _nav(plan: EditionPlan) -> list:
    """Home, the continuum, the role pages, then each activity with its Tools and Materials by
    group (a resource shared by several activities under the first of them), then the
    accessibility statement; titles in the edition's language."""
    from macros import i18n

    tk = plan.toolkit
    ui = i18n.UI[tk.language]
    by_kind = {(p.kind, p.ident): p for p in plan.pages}
    nav: list = [(ui["home"], by_kind[("home", "")].source), (tk.site.continuum.title, by_kind[("continuum", "")].source)]
    nav.append((ui["roles_nav"], [(p.title, p.source) for p in plan.pages if p.kind == "role"]))
    listed: set[str] = set()
    for a in tk.activities.values():
        section: list = [(ui["overview"], by_kind[("activity", a.id)].source)]
        for group in a.tools:
            # A resource shared by several activities is listed under the first only: a page
            # in the nav twice would get two tables of contents with the same ids.
            mine = [rid for rid in group.resources if rid not in listed]
            listed.update(mine)
            if mine:
                section.append((group.title, [(tk.resources[rid].title, by_kind[("resource", rid)].source) for rid in mine]))
        nav.append((a.title, section))
    nav.append((tk.site.accessibility.title, by_kind[("accessibility", "")].source))
    return nav

"""MkDocs hooks (``hooks: [macros/hooks.py]`` in ``mkdocs.yml``): the only MkDocs-specific
glue besides :mod:`macros.site_macros`. Moving to another site generator means rewriting this
file, not the rendering core.

What they do, in build order:

* ``on_config``  – load and validate the content (a problem aborts the build with the editor
  report); take the site name, URL, footer and nav from the content; add the toolkit CSS.
* ``on_files``   – add one generated page per activity, per resource and per audience (role
  pages "For students" …; thin stubs that call a macro), the toolkit CSS and the self-hosted font files, and for every id in
  ``former_ids`` a redirect page at the old URL plus the ``_redirects`` file
  (:mod:`macros.redirects`).
* ``on_post_build`` – render the PDFs (cached, in parallel) into the built site, so the
  Download PDF links work after ``mkdocs build`` and in ``mkdocs serve``. Set
  ``TOOLKIT_PDFS=0`` to skip them (site-only previews). Then write ``resources.json``
  (:mod:`macros.catalog`), which needs the PDFs' sizes.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from macros import redirects, render, urls  # noqa: E402
from macros.loader import ContentError, Toolkit, site_url  # noqa: E402
from macros.site_context import toolkit_for  # noqa: E402

ASSET_DIR = "assets/toolkit"
CSS_FILES = ["fonts.css", "brand.css", "toolkit.css"]


#: The language this build publishes (``extra.toolkit_language`` in the MkDocs config:
#: ``mkdocs.yml`` builds English at the site root, ``mkdocs.es.yml`` Spanish under ``es/``).
_LANG = "en"


def _toolkit() -> Toolkit:
    try:
        return toolkit_for(ROOT).edition(_LANG)
    except ContentError as exc:
        raise PluginError("\n" + exc.report()) from None


def on_config(config):
    """Validate content; derive site name, URL, copyright, nav, extra CSS and the language
    switch from it."""
    global _LANG
    if not config.use_directory_urls:
        raise PluginError("the toolkit's permalinks need use_directory_urls: true in mkdocs.yml")
    _LANG = config.extra.get("toolkit_language", "en")
    toolkit = _toolkit()
    for warning in toolkit_for(ROOT).warnings if _LANG != "en" else []:
        print(f"WARNING (not fatal) -  {warning}", file=sys.stderr)
    from macros import i18n

    base = site_url(toolkit_for(ROOT))
    config.extra["toolkit_sites"] = {lang: base + ("" if lang == "en" else f"{lang}/") for lang in i18n.LANGUAGES}
    config.extra["alternate"] = [
        {"name": i18n.UI[lang]["language_name"], "lang": lang, "link": config.extra["toolkit_sites"][lang]}
        for lang in i18n.LANGUAGES
    ]
    district = toolkit.site.district
    config.site_name = district.toolkit_name
    if not os.environ.get("TOOLKIT_KEEP_MKDOCS_SITE_URL"):
        config.site_url = site_url(toolkit)
    config.copyright = (
        f"{escape(district.name)} · {escape(district.office)} · "
        f'<a href="mailto:{escape(district.contact_email)}">{escape(district.contact_email)}</a>'
    )
    extra = [f"{ASSET_DIR}/{name}" for name in CSS_FILES]
    config.extra_css = extra + [c for c in config.extra_css if c not in extra]
    config.nav = _nav(toolkit, config.nav or [])
    return config


def _nav(toolkit: Toolkit, extra: list) -> list:
    """Home, the continuum, the role pages ("For students" …), then each activity with its
    Tools and Materials by group (a shared resource under its first activity only), then the
    accessibility statement and any other pages listed
    in mkdocs.yml's own ``nav``; titles in the build's language."""
    from macros import i18n

    ui = i18n.UI[toolkit.language]
    nav: list = [{ui["home"]: "index.md"}, {toolkit.site.continuum.title: "continuum.md"}]
    nav.append({ui["roles_nav"]: [{render.role_title(a, toolkit.language): urls.role_source(a.id)} for a in toolkit.site.audiences]})
    # A resource shared by several activities (the WBL activity evaluation) is listed under
    # the first of them only: a page in the nav twice gives Material's page two elements with
    # the id "__toc". Every activity page still lists all its tools.
    listed: set[str] = set()
    for activity in toolkit.activities.values():
        section: list = [{ui["overview"]: urls.activity_source(activity.id)}]
        for group in activity.tools:
            entries = [{toolkit.resources[rid].title: urls.resource_source(rid)} for rid in group.resources if rid not in listed]
            listed.update(group.resources)
            if entries:
                section.append({group.title: entries})
        nav.append({activity.title: section})
    nav.append({toolkit.site.accessibility.title: "accessibility.md"})
    return nav + [item for item in extra if "accessibility.md" not in str(item)]


def _stub(title: str, macro: str, ident: str, description: str) -> str:
    # Titles and ids are validated plain text; the YAML front matter is written with JSON
    # string quoting so no title can break it.
    import json

    return (
        "---\n"
        f"title: {json.dumps(title)}\n"
        f"description: {json.dumps(description)}\n"
        "render_macros: true\n"
        "---\n\n"
        f"{{{{ {macro}({json.dumps(ident)}) }}}}\n"
    )


def on_files(files: Files, config) -> Files:
    """Add generated activity, resource and role pages, toolkit CSS, font files and
    redirects."""
    toolkit = _toolkit()
    for activity in toolkit.activities.values():
        files.append(File.generated(config, urls.activity_source(activity.id), content=_stub(
            activity.title, "activity_page", activity.id, activity.definition)))
    for resource in toolkit.resources.values():
        files.append(File.generated(config, urls.resource_source(resource.id), content=_stub(
            resource.title, "resource_page", resource.id, resource.summary)))
    for audience in toolkit.site.audiences:
        files.append(File.generated(config, urls.role_source(audience.id), content=_stub(
            render.role_title(audience, toolkit.language), "role_page", audience.id, audience.description)))
    fonts = render.font_css(lambda p: f"fonts/{p.name}")
    files.append(File.generated(config, f"{ASSET_DIR}/fonts.css", content=fonts))
    files.append(File.generated(config, f"{ASSET_DIR}/brand.css", content=render.brand_css(toolkit.site)))
    files.append(File.generated(config, f"{ASSET_DIR}/toolkit.css", abs_src_path=str(render.ASSETS / "toolkit.css")))
    for _, _, path in render.font_files():
        files.append(File.generated(config, f"{ASSET_DIR}/fonts/{path.name}", abs_src_path=str(path)))
    _add_redirects(files, config, toolkit)
    return files


def _add_redirects(files: Files, config, toolkit: Toolkit) -> None:
    """Redirect pages at old URLs (static HTML: MkDocs copies them as they are, outside the
    nav, search and sitemap) and the ``_redirects`` file for hosts that read it."""
    url = site_url(toolkit)
    renderer = render.Renderer(toolkit, url)
    for old_folder, (moved, also) in redirects.redirect_pages(toolkit).items():
        files.append(File.generated(config, old_folder + "index.html", content=renderer.redirect_page(moved, also)))
    files.append(File.generated(config, redirects.REDIRECTS_FILE, content=redirects.redirects_file(toolkit, url)))


def on_post_build(config) -> None:
    """Render the PDFs into the built site (unless ``TOOLKIT_PDFS=0``), then write the resource
    catalog ``resources.json``, which records each PDF's size (``null`` without PDFs)."""
    _build_pdfs(config)
    from macros import catalog

    toolkit = _toolkit()
    catalog.write(Path(config.site_dir), toolkit, site_url(toolkit))


def _build_pdfs(config) -> None:
    if os.environ.get("TOOLKIT_PDFS", "1") == "0":
        return
    import build_pdfs

    jobs = int(os.environ["TOOLKIT_JOBS"]) if os.environ.get("TOOLKIT_JOBS") else None
    result = build_pdfs.build(ROOT, site_dir=Path(config.site_dir), jobs=jobs, toolkit=_toolkit())
    if not result.ok:
        raise PluginError("\n".join(f"PDF failed: {rid}: {msg}" for rid, msg in result.failed.items()))
    print(f"INFO    -  PDFs: {len(result.rendered)} rendered, {len(result.cached)} unchanged ({result.seconds:.1f} s)", file=sys.stderr)


_HEADING = re.compile(r'<h([1-3])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)


def on_page_content(html: str, page, config, files) -> str:
    """Give macro-rendered pages a real table of contents (their headings come from HTML, which
    MkDocs' toc extension does not see), so Material shows "On this page" and its skip link."""
    if page.toc.items or not page.meta.get("render_macros"):
        return html
    from mkdocs.structure.toc import get_toc

    root: list[dict] = []
    stack: list[dict] = []
    for level, ident, inner in _HEADING.findall(html):
        token = {"level": int(level), "id": ident, "name": re.sub(r"<[^>]+>", "", inner).strip(), "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    page.toc = get_toc(root)
    return html


def on_post_page(output: str, page, config) -> str:
    """Mend two invalid-HTML spots in Material's own templates (Nu Html Checker errors):
    ``autocomplete`` on its checkbox toggles and ``tabindex=""`` on navigation labels."""
    output = re.sub(r'(<input class="md-toggle"[^>]*?) autocomplete="off"', r"\1", output)
    return output.replace(' tabindex=""', "")


def on_post_template(output_content: str, template_name: str, config) -> str:
    """The same mending for pages built from theme templates alone (404.html)."""
    return on_post_page(output_content, None, config)

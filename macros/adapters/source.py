"""Writes one edition's source folder and configuration for a site generator.

Layout of what :func:`write` produces (``dest``)::

    dest/mkdocs.yml          the generator configuration (see :func:`config`)
    dest/docs/               hand-written files from the project's docs/ folder, then
    dest/docs/index.md …     one Markdown file per page of the plan
    dest/docs/assets/toolkit/fonts.css, brand.css, toolkit.css, fonts/*.ttf, and the forms and
                             offline scripts (:mod:`macros.browser_assets`)

Every page file is complete: YAML front matter (title, description) and the body rendered by
the plan, made readable by the generator's Markdown (:func:`macros.adapters.markdown.markdown_source`).
No page asks the generator to run a template, so editors' text is never evaluated.
A file is rewritten only when its bytes change, so a watching preview server rebuilds only
what an edit touched.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from markupsafe import escape

from macros import browser_assets, i18n, render
from macros.plan import EditionPlan, Page
from macros.adapters.markdown import markdown_source

#: Where the toolkit's stylesheets and fonts go in the site.
ASSET_DIR = "assets/toolkit"
CSS_FILES = ["fonts.css", "brand.css", "toolkit.css"]


def page_source(page: Page, body_html: str) -> str:
    """The Markdown source of one page: front matter, then the body (see module docstring).
    Titles and descriptions are plain text, written with JSON string quoting (valid YAML), so
    no title can break the front matter."""
    front = [f"title: {json.dumps(page.title, ensure_ascii=False)}",
             f"description: {json.dumps(render.plain_text(page.description), ensure_ascii=False)}"]
    if page.hide_toc:
        front.append("hide:\n  - toc")
    return "---\n" + "\n".join(front) + "\n---\n\n" + markdown_source(body_html) + "\n"


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` unless it already holds exactly that; True if written."""
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def write_pages(edition: EditionPlan, docs: Path, pages: list[Page] | None = None) -> list[str]:
    """Write the Markdown source of ``pages`` (default: all of the edition's) under ``docs``.
    Returns the source paths that changed."""
    changed = []
    for page in edition.pages if pages is None else pages:
        text = page_source(page, page.body(edition.renderer))
        if _write(docs / page.source, text.encode("utf-8")):
            changed.append(page.source)
    return changed


def write_assets(edition: EditionPlan, docs: Path) -> None:
    """The toolkit's web stylesheets (fonts, brand colours from ``site.yml``, components) and
    the font files, under ``docs/assets/toolkit/``."""
    base = docs / ASSET_DIR
    _write(base / "fonts.css", render.font_css(lambda p: f"fonts/{p.name}").encode("utf-8"))
    _write(base / "brand.css", render.brand_css(edition.toolkit.site).encode("utf-8"))
    _write(base / "toolkit.css", (render.ASSETS / "toolkit.css").read_bytes())
    for _, _, path in render.font_files():
        _write(base / "fonts" / path.name, path.read_bytes())
    for name, source in browser_assets.files(edition.language):  # forms kept on the device, offline
        _write(base / name, source.read_bytes() if isinstance(source, Path) else source.encode("utf-8"))


def config(root: Path, edition: EditionPlan, plan_editions: list[EditionPlan], docs: Path, site_dir: Path) -> dict:
    """The generator configuration of one edition: the project's ``mkdocs.yml`` (developer
    settings: theme, features, Markdown extensions, validation) completed from the plan —
    site name, URL, language, navigation, footer, stylesheets, the language switch — with
    absolute folders. ``hooks`` are dropped: nothing depends on them.

    Raises:
        OSError / yaml.YAMLError: ``mkdocs.yml`` cannot be read.
    """
    base = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    tk = edition.toolkit
    lang = tk.language
    district = tk.site.district
    cfg = dict(base)
    cfg.pop("hooks", None)
    cfg.pop("INHERIT", None)
    cfg["site_name"] = district.toolkit_name
    cfg["site_url"] = edition.site_url
    cfg["docs_dir"] = str(docs)
    cfg["site_dir"] = str(site_dir)
    theme = dict(cfg.get("theme") or {})
    theme["language"] = lang
    if theme.get("custom_dir"):
        theme["custom_dir"] = str((root / theme["custom_dir"]).resolve())
    cfg["theme"] = theme
    plugins = []
    for plugin in cfg.get("plugins") or []:
        if plugin == "search" or (isinstance(plugin, dict) and "search" in plugin):
            plugin = {"search": {"lang": lang}} if lang != "en" else plugin
        plugins.append(plugin)
    cfg["plugins"] = plugins
    # the heading anchors' tooltip (what a screen reader says for them) in the edition's language
    cfg["markdown_extensions"] = [
        {"toc": {**(ext["toc"] or {}), "permalink_title": i18n.UI[lang]["permalink_title"]}} if isinstance(ext, dict) and "toc" in ext
        else ext for ext in cfg.get("markdown_extensions") or []]
    cfg.pop("watch", None)  # the live preview watches content/ itself (macros/adapters/serve.py)
    cfg["nav"] = _nav(edition.nav) + [item for item in cfg.get("nav") or [] if not _in_nav(item, edition.nav)]
    cfg["copyright"] = (
        f"{escape(district.name)} · {escape(district.office)} · "
        f'<a href="mailto:{escape(district.contact_email)}">{escape(district.contact_email)}</a>'
    )
    own_css = [f"{ASSET_DIR}/{name}" for name in CSS_FILES + browser_assets.CSS]
    cfg["extra_css"] = own_css + [c for c in cfg.get("extra_css") or [] if c not in own_css]
    scripts = [f"{ASSET_DIR}/{name}" for name in browser_assets.SCRIPTS]
    cfg["extra_javascript"] = scripts + [s for s in cfg.get("extra_javascript") or [] if s not in scripts]
    extra = dict(cfg.get("extra") or {})
    extra["toolkit_language"] = lang
    # the theme's own words that address the reader, in the register the site speaks in
    extra["toolkit_theme_words"] = i18n.theme_words(lang, i18n.informal(tk.site))
    extra["author"] = f"{district.name} · {district.office}"
    extra["alternate"] = [{"name": i18n.UI[e.language]["language_name"], "lang": e.language, "link": e.site_url}
                          for e in plan_editions]
    # the 404 page (overrides/404.html) in every language, the edition's own first: hosts
    # such as GitHub Pages show the root 404.html for every missing address, /es/ ones too
    extra["toolkit_not_found"] = [_not_found(e) for e in sorted(plan_editions, key=lambda e: e.toolkit.language != lang)]
    cfg["extra"] = extra
    return cfg


def _not_found(edition: EditionPlan) -> dict[str, str]:
    """The 404 page's words in ``edition``'s language and register, and the address of its
    home page (absolute: the page is served at whatever address was missing). Shape:
    ``{lang, title, text, before, home, after, link}``; ``before`` + link ``home`` + ``after``
    is the sentence that offers search and the home page."""
    tk = edition.toolkit
    words = i18n.ui(tk.language, i18n.informal(tk.site))
    before, _, after = words["not_found_next"].partition("{home}")
    return {"lang": tk.language, "title": words["not_found_title"], "text": words["not_found_text"],
            "before": before, "home": words["home_page"], "after": after, "link": edition.site_url}


def _plain(value):
    """``value`` with every text a plain ``str`` (content texts may be ``str`` subclasses, such
    as an untranslated text that remembers its language), so YAML can write it."""
    if isinstance(value, dict):
        return {_plain(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return str(value) if isinstance(value, str) else value


def _nav(items: list) -> list:
    return [{title: (_nav(target) if isinstance(target, list) else target)} for title, target in items]


def _in_nav(item, nav: list) -> bool:
    """True if a hand-written nav entry of ``mkdocs.yml`` names a page the plan already lists."""
    targets = {t for _, t in _flatten(nav)}
    values = item.values() if isinstance(item, dict) else [item]
    return any(v in targets for v in values if isinstance(v, str))


def _flatten(nav: list):
    for title, target in nav:
        if isinstance(target, list):
            yield from _flatten(target)
        else:
            yield title, target


def write(root: Path, edition: EditionPlan, plan_editions: list[EditionPlan], dest: Path, site_dir: Path, prepare=None,
          pages: list[Page] | None = None) -> Path:
    """Write the edition's whole source folder into ``dest`` (see the module docstring) for a
    build into ``site_dir``; ``prepare(config, root)`` is the site adapter's last word on the
    configuration. ``pages``: render only these pages (the live preview passes the pages whose
    inputs changed; default: every page). Returns the configuration file's path."""
    docs = dest / "docs"
    hand_written = root / "docs"
    if hand_written.is_dir():
        shutil.copytree(hand_written, docs, dirs_exist_ok=True)
    write_assets(edition, docs)
    # The configuration (navigation) before the pages: a watching server that starts building
    # between the two writes then already sees the new navigation.
    cfg_path = dest / "mkdocs.yml"
    cfg = config(root, edition, plan_editions, docs, site_dir)
    if prepare is not None:
        cfg = prepare(cfg, root)
    cfg = _plain(cfg)
    _write(cfg_path, yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False).encode("utf-8"))
    write_pages(edition, docs, pages)
    return cfg_path

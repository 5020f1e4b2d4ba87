"""The built site: every page exists and shows its content, Download PDF links resolve, no
third-party requests, and the macros configuration stays strict.

On the shipped site every expectation is derived from the loaded content; the specifics of the
layout (checkbox labels, the rating grid, district order) are checked on the fixture project."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import lxml.html

from helpers import expected_texts, long_date, m, norm, page_text, urls


def _page(site, path):
    return site / path / "index.html"


def test_resource_pages_show_all_their_content(site, toolkit):
    missing = []
    for rid, r in toolkit.resources.items():
        text = page_text(_page(site, urls.resource_page(rid)))
        wanted = expected_texts(r) + [toolkit.site.audience(a).plural for a in r.audiences] + [long_date(r.revised, "en")]
        missing += [f"{rid}: {w!r}" for w in wanted if norm(w) not in text]
    assert not missing, "\n".join(missing)


def test_download_links_resolve_to_the_pdfs(site, toolkit):
    for rid in toolkit.resources:
        doc = lxml.html.parse(str(_page(site, urls.resource_page(rid)))).getroot()
        links = [a for a in doc.cssselect("a[download]") if a.get("href", "").endswith(".pdf") and not a.get("href").endswith("-packet.pdf")]
        assert len(links) == 1, rid
        href = links[0].get("href")
        assert not urlparse(href).scheme  # relative: works under any sub-path and in mkdocs serve
        target = urljoin("http://h/" + urls.resource_page(rid), href)
        assert urlparse(target).path == "/" + urls.resource_pdf(rid)
        assert (site / urls.resource_pdf(rid)).read_bytes().startswith(b"%PDF-")


def test_checklist_items_are_labelled_checkboxes(site, toolkit):
    checklists = [r for r in toolkit.resources.values() if isinstance(r, m.Checklist)]
    for r in checklists:
        doc = lxml.html.parse(str(_page(site, urls.resource_page(r.id)))).getroot()
        boxes = doc.cssselect("article form.tk-form input[type=checkbox]")
        assert len(boxes) == sum(len(p.items) for p in r.phases), r.id
        for box in boxes:
            labels = doc.cssselect(f"label[for='{box.get('id')}']")
            assert len(labels) == 1 and labels[0].text_content().strip()


def test_rating_grid_has_scale_and_na(fixture_site):
    site = fixture_site / "site"
    doc = lxml.html.parse(str(_page(site, urls.resource_page("activity-evaluation")))).getroot()
    table = doc.cssselect("table.tk-rating")[0]
    headers = [norm(th.text_content()) for th in table.cssselect("thead th")]
    assert headers == ["Statement", "1 Strongly disagree", "2 Disagree", "3 Neutral", "4 Agree", "5 Strongly agree", "N/A"]
    rows = table.cssselect("tbody tr")
    assert len(rows) == 2 and all(len(r.cssselect("input[type=radio]")) == 6 for r in rows)


def test_activity_pages_follow_the_content_order(site, toolkit):
    """Title, stage, each section, then the tools groups with their resources, in that order
    (derived from the content)."""
    stages = {s.id: s.title for s in toolkit.site.continuum.stages}
    for aid, a in toolkit.activities.items():
        text = page_text(_page(site, urls.activity_page(aid)))
        order = [a.title, stages[a.stage], *[s.title for s in a.sections]]
        for group in a.tools:
            order += [group.title, *[toolkit.resources[r].title for r in group.resources]]
        positions, start = [], 0
        for words in order:
            start = text.index(norm(words), start)
            positions.append(start)
        assert positions == sorted(positions), aid


def test_activity_page_in_district_order(fixture_site):
    text = page_text(_page(fixture_site / "site", urls.activity_page("site-visits")))
    order = ["Site Visits", "Stage Two", "Purpose", "Format", "Tools and Materials", "Checklists",
             "Student Site Visit Checklist", "Tip and Fact Sheets", "Forms", "Activity Evaluation"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)


def test_continuum_page_shows_stages_and_links_activities(site, toolkit):
    page = _page(site, urls.CONTINUUM)
    text = page_text(page)
    positions = [text.index(norm(s.title)) for s in toolkit.site.continuum.stages]
    assert positions == sorted(positions)
    hrefs = [a.get("href") for a in lxml.html.parse(str(page)).getroot().cssselect("article a")]
    linked = [x.activity for s in toolkit.site.continuum.stages for x in s.activities if x.activity]
    assert linked
    for aid in linked:
        assert urls.relative(urls.activity_page(aid), urls.CONTINUUM) in hrefs, aid


def test_home_page_links_every_resource(site, toolkit):
    doc = lxml.html.parse(str(site / "index.html")).getroot()
    hrefs = {a.get("href") for a in doc.cssselect("article a")}
    for rid in toolkit.resources:
        assert urls.resource_page(rid) in hrefs
        assert urls.resource_pdf(rid) in hrefs


def test_no_third_party_requests(site):
    """Fonts are self-hosted; no page loads anything from another host."""
    for page in site.rglob("*.html"):
        doc = lxml.html.parse(str(page)).getroot()
        for el in doc.iter("link", "script", "img", "iframe", "source"):
            loads = el.tag != "link" or el.get("rel") in ("stylesheet", "icon", "preload", "modulepreload", "manifest")
            ref = (el.get("src") or (el.get("href") if el.tag == "link" else None)) if loads else None
            if ref:
                assert not urlparse(ref).netloc, f"{page}: third-party request {ref}"
        assert "fonts.googleapis" not in page.read_text(encoding="utf-8")
    css = (site / "assets/toolkit/fonts.css").read_text()
    assert "Atkinson Hyperlegible" in css
    for ref in re.findall(r"url\('([^']+)'\)", css):
        assert (site / "assets/toolkit" / ref).is_file()


def test_macros_plugin_is_strict():
    import yaml

    from conftest import ROOT

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    cfg = yaml.load((ROOT / "mkdocs.yml").read_text(), Loader=Loader)
    macros = next(p["macros"] for p in cfg["plugins"] if isinstance(p, dict) and "macros" in p)
    assert macros["on_error_fail"] is True
    assert macros["on_undefined"] == "strict"
    assert macros["render_by_default"] is False
    assert cfg["theme"]["font"] is False


def test_the_404_page_says_what_happened_and_leads_home_in_every_language(fixture_site):
    """A missing address (a mistyped or trimmed intranet link, an old path) gets a page that
    says nothing is there and how to go on, in every language of the toolkit and the
    edition's own first, with a link to each edition's home page (absolute: a host serves the
    page at whatever address was missing). The words are the interface's (macros/i18n.py)."""
    from macros import i18n
    from helpers import load

    toolkit = load(fixture_site)
    site_url = toolkit.site.site_url
    homes = {"en": site_url, **{lang: f"{site_url}{lang}/" for lang in toolkit.editions}}
    for folder, own in [("", "en"), *((f"{lang}/", lang) for lang in toolkit.editions)]:
        doc = lxml.html.parse(str(fixture_site / "site" / folder / "404.html")).getroot()
        parts = doc.cssselect("article .tk-not-found")
        assert [p.get("lang") for p in parts][0] == own and sorted(p.get("lang") for p in parts) == sorted(homes)
        for part in parts:
            lang = part.get("lang")
            words = i18n.ui(lang, i18n.informal(toolkit.edition(lang).site) if lang != "en" else i18n.informal(toolkit.site))
            heading = part.cssselect("h1, h2")[0]
            assert heading.tag == ("h1" if lang == own else "h2") and norm(heading.text_content()) == norm(words["not_found_title"])
            assert [a.get("href") for a in part.cssselect("a")] == [homes[lang]]
        assert len(doc.cssselect("article h1")) == 1


def test_a_link_trimmed_to_its_folder_leads_to_the_page_that_lists_it(fixture_site):
    """``…/resources/``, ``…/activities/`` and ``…/for/`` have no page of their own: each
    sends the browser on (meta refresh, and a visible link) to the page listing what the
    folder holds, in every edition, and stays out of the sitemap and search."""
    from helpers import load

    toolkit = load(fixture_site)
    site = fixture_site / "site"
    for edition in ["", *(f"{lang}/" for lang in toolkit.editions)]:
        for folder, target in urls.FOLDER_PAGES.items():
            page = site / edition / folder / "index.html"
            doc = lxml.html.parse(str(page)).getroot()
            here = f"http://h/{edition}{folder}"
            refresh = doc.cssselect('meta[http-equiv="refresh"]')[0].get("content").split("url=", 1)[1]
            assert urljoin(here, refresh) == f"http://h/{edition}{target}", page
            assert [urljoin(here, a.get("href")) for a in doc.cssselect("main a")] == [f"http://h/{edition}{target}"]
            assert (site / edition / target / "index.html").is_file()
            assert doc.cssselect('meta[name="robots"]')[0].get("content") == "noindex"
        sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
        assert not any(f"/{edition}{folder}<" in sitemap for folder in urls.FOLDER_PAGES)


def test_a_sheets_closing_words_come_before_the_answer_controls(fixture_site):
    """A resource page keeps the sheet's order: its closing words (as on paper) right after
    the form, then the controls for the answers kept on the device."""
    from helpers import load

    toolkit = load(fixture_site)
    closed = [r for r in toolkit.resources.values() if r.closing]
    assert closed, "the fixture has no resource with closing words"
    for r in closed:
        doc = lxml.html.parse(str(_page(fixture_site / "site", urls.resource_page(r.id)))).getroot()
        order = [el.get("class").split()[0] for el in doc.cssselect("article form.tk-form, article .tk-closing, article .tk-answers")]
        assert order == ["tk-form", "tk-closing", "tk-answers"], (r.id, order)

"""The built site: every page exists and shows its content, Download PDF links resolve, no
third-party requests, and the macros configuration stays strict."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlparse

import lxml.html
import pytest

from brief import ORDER
from helpers import expected_texts, norm, page_text
from macros import urls


def _page(site, path):
    return site / path / "index.html"


@pytest.mark.parametrize("rid", ORDER)
def test_resource_page_shows_all_its_content(site, toolkit, rid):
    r = toolkit.resources[rid]
    text = page_text(_page(site, urls.resource_page(rid)))
    for expected in expected_texts(r):
        assert norm(expected) in text, f"{rid}: missing {expected!r}"
    for aud in r.audiences:
        assert toolkit.site.audience(aud).plural in text
    assert "November 20, 2026" in text  # revision date


@pytest.mark.parametrize("rid", ORDER)
def test_download_link_resolves_to_the_pdf(site, rid):
    page = _page(site, urls.resource_page(rid))
    doc = lxml.html.parse(str(page)).getroot()
    links = [a for a in doc.cssselect("a[download]") if "Download PDF" in a.text_content()]
    assert len(links) == 1
    href = links[0].get("href")
    assert not urlparse(href).scheme  # relative: works under any sub-path and in mkdocs serve
    target = urljoin("http://h/" + urls.resource_page(rid), href)
    assert urlparse(target).path == "/" + urls.resource_pdf(rid)
    assert (site / urls.resource_pdf(rid)).read_bytes().startswith(b"%PDF-")


def test_checklist_items_are_labelled_checkboxes(site, toolkit):
    rid = "informational-interview-student-checklist"
    doc = lxml.html.parse(str(_page(site, urls.resource_page(rid)))).getroot()
    boxes = doc.cssselect("article form.tk-form input[type=checkbox]")
    n_items = sum(len(p.items) for p in toolkit.resources[rid].phases)
    assert len(boxes) == n_items
    for box in boxes:
        labels = doc.cssselect(f"label[for='{box.get('id')}']")
        assert len(labels) == 1 and labels[0].text_content().strip()


def test_rating_grid_has_scale_and_na(site):
    doc = lxml.html.parse(str(_page(site, urls.resource_page("wbl-activity-evaluation")))).getroot()
    table = doc.cssselect("table.tk-rating")[0]
    headers = [norm(th.text_content()) for th in table.cssselect("thead th")]
    assert headers[-1] == "N/A" and headers[1].startswith("1") and headers[5].startswith("5")
    first_row = table.cssselect("tbody tr")[0]
    assert len(first_row.cssselect("input[type=radio]")) == 6


def test_activity_page_in_district_order(site, toolkit):
    text = page_text(_page(site, urls.activity_page("informational-interviews")))
    order = ["Informational Interviews", "Career Exploration", "Purpose", "Structure", "Format",
             "Outcomes", "Tools and Materials", "Checklists", "Tip and Fact Sheets", "Implementation Tools"]
    positions = [text.index(word) for word in order]
    assert positions == sorted(positions)
    for rid in ORDER:
        assert toolkit.resources[rid].title in text


def test_continuum_page_links_the_activity(site):
    page = _page(site, urls.CONTINUUM)
    text = page_text(page)
    for stage in ("Career Awareness", "Career Exploration", "Career Development Experiences"):
        assert stage in text
    doc = lxml.html.parse(str(page)).getroot()
    hrefs = [a.get("href") for a in doc.cssselect("article a")]
    assert "../activities/informational-interviews/" in hrefs


def test_home_page_links_every_resource(site, toolkit):
    doc = lxml.html.parse(str(site / "index.html")).getroot()
    hrefs = {a.get("href") for a in doc.cssselect("article a")}
    for rid in ORDER:
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

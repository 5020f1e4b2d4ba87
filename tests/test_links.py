"""Link integrity: LinkChecker finds no broken internal link or anchor in the shipped site at
the site root and in the variant fixture (tests/variants.py) under a sub-path; the sitemap lists every page; site_url comes from
content/site.yml or TOOLKIT_SITE_URL."""
from __future__ import annotations

import io
import re
from pathlib import Path

import lxml.etree
import lxml.html
import pypdf
import pytest

from conftest import SUBPATH_URL
from helpers import load, site_file, urls, visible_text
from server import fetch, linkcheck, serve

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _is_redirect_page(path: Path) -> bool:
    return lxml.html.parse(str(path)).getroot().cssselect('meta[http-equiv="refresh"]') != []


def _start_urls(site: Path, base: str) -> list[str]:
    """Every HTML file of the site as a URL, so pages no link leads to (redirect pages, the
    404 page) are checked too."""
    return [base + p.relative_to(site).as_posix().removesuffix("index.html") for p in _html_files(site)]


@pytest.mark.parametrize("which", ["site", "variant"])
def test_no_broken_internal_links_or_anchors(request, tmp_path, which):
    """The shipped site served at ``/``; the variant (renamed resource, second activity)
    built for and served at the sub-path ``/wbl/``, as on a school intranet."""
    if which == "site":
        site, prefix = request.getfixturevalue("site"), "/"
    else:
        site, prefix = request.getfixturevalue("variant") / "site", "/wbl/"
    with serve(site, prefix) as base:
        start = _start_urls(site, base)
        problems = linkcheck(base, start, tmp_path, timeout=120)
    report = "\n".join(f"{p['parentname']}: {p['urlname']} -> {p['result']} {p['warningstring']}" for p in problems)
    assert not problems, report
    assert any(url.endswith("/es/") for url in start)  # both editions were checked


def test_linkchecker_catches_broken_links_and_anchors(fixture_site, tmp_path):
    """The check above can fail: a copy of the site with a missing page, a missing anchor and
    a link above the sub-path gets all three reported."""
    import shutil

    copy = tmp_path / "site"
    shutil.copytree(fixture_site / "site", copy)
    page = copy / urls.CONTINUUM / "index.html"
    html = page.read_text(encoding="utf-8")
    bad = ('<a href="../no-such-page/">a</a> <a href="../resources/activity-evaluation/#no-such-anchor">b</a> '
           '<a href="/resources/activity-evaluation/">c</a>')
    page.write_text(html.replace("</article>", bad + "</article>"), encoding="utf-8")
    with serve(copy, "/wbl/") as base:
        problems = linkcheck(base, [base + urls.CONTINUUM], tmp_path)
    found = {(p["urlname"], bool(p["warningstring"])) for p in problems}
    assert found == {("../no-such-page/", False), ("../resources/activity-evaluation/#no-such-anchor", True),
                     ("/resources/activity-evaluation/", False)}


@pytest.mark.parametrize("which", ["site", "variant"])
def test_sitemap_lists_every_page(request, which):
    if which == "site":
        site, toolkit = request.getfixturevalue("site"), request.getfixturevalue("toolkit")
        site_url = toolkit.site.site_url
    else:
        variant = request.getfixturevalue("variant")
        site, site_url, toolkit = variant / "site", SUBPATH_URL, load(variant)
    # each language edition has its own sitemap: English at the root, Spanish under es/
    for root, url in ((site, site_url), (site / "es", site_url + "es/")):
        tree = lxml.etree.parse(str(root / "sitemap.xml"))
        locs = [loc.text for loc in tree.findall(".//s:url/s:loc", SITEMAP_NS)]
        pages = {url + p.relative_to(root).as_posix().removesuffix("index.html")
                 for p in _html_files(root) if p.name == "index.html" and not _is_redirect_page(p)
                 and (root != site or not p.relative_to(site).as_posix().startswith(("es/", "admin/")))}  # the editor is not a page
        assert sorted(locs) == sorted(pages)
        for loc in locs:
            assert site_file(site, site_url, loc)[0].is_file()
        expected = {"", urls.CONTINUUM, urls.ACCESSIBILITY} | {urls.role_page(a.id) for a in toolkit.site.audiences}
        expected |= {urls.activity_page(a) for a in toolkit.activities} | {urls.resource_page(r) for r in toolkit.resources}
        assert pages == {url + p for p in expected}


def test_site_url_comes_from_site_yml(site, toolkit):
    url = toolkit.site.site_url
    home = lxml.html.parse(str(site / "index.html")).getroot()
    assert home.cssselect("link[rel=canonical]")[0].get("href") == url
    page = urls.resource_page(next(iter(toolkit.resources)))
    doc = lxml.html.parse(str(site / page / "index.html")).getroot()
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == url + page


def test_toolkit_site_url_overrides_it_with_a_sub_path(variant):
    site = variant / "site"
    page = urls.resource_page("activity-evaluation")
    doc = lxml.html.parse(str(site / page / "index.html")).getroot()
    assert doc.cssselect("link[rel=canonical]")[0].get("href") == SUBPATH_URL + page
    # internal links stay relative, so they work under /wbl/ (and anywhere else)
    hrefs = [a.get("href") for a in doc.cssselect("article a")]
    assert hrefs and not [h for h in hrefs if h.startswith("/") or "fixture.example.org" in h]
    # PDFs print the absolute page URL under the sub-path
    reader = pypdf.PdfReader(io.BytesIO((site / urls.resource_pdf("activity-evaluation")).read_bytes()))
    text = re.sub(r"\s+", "", " ".join(p.extract_text() for p in reader.pages))
    assert "intranet.example.org/wbl/resources/activity-evaluation" in text


def test_sub_path_site_serves_pages_pdfs_and_catalog(variant):
    site = variant / "site"
    with serve(site, "/wbl/") as base:
        for path in ("", urls.role_page("student"), urls.resource_pdf("activity-evaluation"), urls.CATALOG):
            final, body = fetch(base + path)
            assert final == base + path and body
        title = lxml.html.fromstring(fetch(base + urls.role_page("student"))[1]).cssselect("article h1")[0]
        assert visible_text(title) == "For students"

"""Role pages ("For students" …): one per audience in content/site.yml, at ``for/<id>/``,
listing that role's resources across activities, reachable from the home page and the nav.
Layout on the fixture projects (its audiences are the tests' own); on the shipped site, each
role page links exactly its audience's resources (derived)."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

import lxml.html
import pytest

from helpers import load, norm, plain, urls, visible_text
from variants import SECOND_ACTIVITY, SECOND_CHECKLIST, SHARED

TITLES = {"student": "For students", "teacher": "For teachers", "wbl-specialist": "For WBL specialists", "employer": "For employers"}


def _doc(site, path):
    return lxml.html.parse(str(site / path / "index.html")).getroot()


def _targets(doc, page, selector="article a:not(.headerlink)"):
    """Site paths the links matching ``selector`` on the page at site path ``page`` point to."""
    return [urlparse(urljoin("http://h/" + page, a.get("href"))).path.lstrip("/") for a in doc.cssselect(selector)]


def test_one_role_page_per_audience(fixture_site):
    site, toolkit = fixture_site / "site", load(fixture_site)
    assert [a.id for a in toolkit.site.audiences] == list(TITLES)
    for aud in toolkit.site.audiences:
        doc = _doc(site, urls.role_page(aud.id))
        assert visible_text(doc.cssselect("article h1")[0]) == TITLES[aud.id]
        assert doc.findtext(".//title").startswith(TITLES[aud.id])


@pytest.mark.parametrize("aud", list(TITLES))
def test_role_page_lists_that_roles_resources_with_summary_page_and_pdf(fixture_site, aud):
    site, toolkit = fixture_site / "site", load(fixture_site)
    page = urls.role_page(aud)
    doc = _doc(site, page)
    items = doc.cssselect("article ul.tk-resource-list > li")
    mine = toolkit.resources_for(aud)
    # listed under each activity that uses it, activity by activity in toolkit order
    listed = [toolkit.resources[rid] for a in toolkit.activities.values() for rid in a.resource_ids if aud in toolkit.resources[rid].audiences]
    assert mine and len(items) == len(listed) and {r.id for r in listed} == {r.id for r in mine}
    for r, li in zip(listed, items):
        text = norm(li.text_content())
        assert r.title in text and plain(r.summary) in text
        targets = _targets(li, page, "a")
        assert urls.resource_page(r.id) in targets and urls.resource_pdf(r.id) in targets
        assert (site / urls.resource_pdf(r.id)).is_file()
    others = set(toolkit.resources) - {r.id for r in mine}
    assert not {urls.resource_page(rid) for rid in others} & set(_targets(doc, page))


def test_role_pages_are_reachable_from_home_and_nav(fixture_site):
    site, toolkit = fixture_site / "site", load(fixture_site)
    home = _doc(site, "")
    in_article = _targets(home, "")
    in_nav = _targets(home, "", "nav.md-nav--primary a")
    for aud in toolkit.site.audiences:
        assert urls.role_page(aud.id) in in_article
        assert urls.role_page(aud.id) in in_nav
    nav_titles = [norm(a.text_content()) for a in home.cssselect("nav.md-nav--primary a")
                  if not a.xpath("ancestor::nav[contains(@class, 'md-nav--secondary')]")]  # not the page's own TOC
    assert [t for t in nav_titles if t.startswith("For ")] == list(TITLES.values())


def test_role_page_groups_by_activity_across_activities(variant):
    toolkit = load(variant)
    site = variant / "site"
    for aud in ("student", "teacher"):
        page = urls.role_page(aud)
        doc = _doc(site, page)
        headings = _targets(doc, page, "article h2 a:not(.headerlink)")
        assert headings == [urls.activity_page(a) for a in toolkit.activities
                            if any(aud in toolkit.resources[r].audiences for r in toolkit.activities[a].resource_ids)]
        assert urls.activity_page(SECOND_ACTIVITY) in headings
    student = _targets(_doc(site, urls.role_page("student")), urls.role_page("student"))
    assert urls.resource_page(SECOND_CHECKLIST) in student
    teacher = _targets(_doc(site, urls.role_page("teacher")), urls.role_page("teacher"))
    assert teacher.count(urls.resource_page(SHARED)) == 2  # under each activity that uses it


def test_shipped_role_pages_link_exactly_their_resources(site, toolkit):
    for aud in toolkit.site.audiences:
        page = urls.role_page(aud.id)
        linked = {t for t in _targets(_doc(site, page), page) if t.startswith("resources/") and t.endswith("/")}
        assert linked == {urls.resource_page(r.id) for r in toolkit.resources_for(aud.id)}, aud.id

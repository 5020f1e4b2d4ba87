"""Renaming keeps old links alive: ``former_ids`` in content, checked by the loader so every
old URL leads to exactly one place."""
from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
import pytest

from conftest import SUBPATH_URL
from helpers import edit, line_of, load, problems, urls, visible_text
from server import fetch, serve
from test_content_errors import ACTIVITY, CHECKLIST, CHECKLIST_ID
from variants import RENAMED_NEW, RENAMED_OLD, RENAMED_TITLE, SECOND_ACTIVITY, SECOND_FORMER, rename_resource

RENAMED = f"content/resources/{RENAMED_NEW}.yml"


def test_renamed_resource_loads_with_its_former_id(project):
    before = list(load(project).resources)
    rename_resource(project)
    toolkit = load(project)
    assert RENAMED_OLD not in toolkit.resources
    assert toolkit.resources[RENAMED_NEW].former_ids == [RENAMED_OLD]
    # every reference followed the rename, so the toolkit order is unchanged
    assert list(toolkit.resources) == [RENAMED_NEW if r == RENAMED_OLD else r for r in before]


def test_former_id_that_is_a_current_id_is_refused(project):
    edit(project, CHECKLIST, "kind: checklist\n", f"former_ids: [{RENAMED_OLD}]\nkind: checklist\n")
    line = line_of(project, CHECKLIST, "former_ids:")
    assert (f"{CHECKLIST}:{line}:14: former_ids[0]: '{RENAMED_OLD}' is the id of a current resource "
            f"(content/resources/{RENAMED_OLD}.yml), so its old links cannot redirect here") in problems(project)


def test_former_id_claimed_by_two_resources_is_refused(project):
    rename_resource(project)
    edit(project, CHECKLIST, "kind: checklist\n", f"former_ids: [{RENAMED_OLD}]\nkind: checklist\n")
    report = problems(project)
    assert f"former_ids[0]: '{RENAMED_OLD}' is already a former id in" in report
    assert report.count("is already a former id") == 1


def test_own_id_as_former_id_is_refused(project):
    edit(project, CHECKLIST, "kind: checklist\n", f"former_ids: [{CHECKLIST_ID}]\nkind: checklist\n")
    assert f"'former_ids' lists '{CHECKLIST_ID}', the current id" in problems(project)


def test_activity_former_id_that_is_a_current_id_is_refused(project):
    (project / "content/activities/job-shadowing.yml").write_text(
        (project / ACTIVITY).read_text(encoding="utf-8")
        .replace("id: site-visits", "id: job-shadowing\nformer_ids: [site-visits]")
        .replace('title: "Site Visits"', 'title: "Job Shadowing"'),
        encoding="utf-8",
    )
    report = problems(project)
    assert "content/activities/job-shadowing.yml:3:14: former_ids[0]: 'site-visits' is the id of a current activity" in report


@pytest.mark.parametrize("where", ["tools", "related", "link"])
def test_reference_to_a_former_id_names_the_new_id(project, where):
    rename_resource(project)
    if where == "tools":
        edit(project, ACTIVITY, f"- {RENAMED_NEW}", f"- {RENAMED_OLD}")
    elif where == "related":
        edit(project, CHECKLIST, f"  - {RENAMED_NEW}", f"  - {RENAMED_OLD}")
    else:
        edit(project, CHECKLIST, "Do the *Site Visit Research Worksheet*.", f"Do the [research worksheet](resource:{RENAMED_OLD}).")
    lines = [line for line in problems(project).splitlines() if "renamed" in line]
    assert len(lines) == 1
    assert RENAMED_OLD in lines[0]
    assert lines[0].endswith(f"— it was renamed to '{RENAMED_NEW}' (see former_ids in {RENAMED}); use the new id")


# -- the built site: old URLs lead to the new ones ------------------------------------------


def test_old_page_url_leads_to_the_new_page(variant):
    with serve(variant / "site", "/wbl/") as base:
        old = base + urls.resource_page(RENAMED_OLD)
        final, body = fetch(old)
        assert final == old  # a static host serves the redirect page left at the old URL
        doc = lxml.html.fromstring(body)
        refresh = doc.cssselect('meta[http-equiv="refresh"]')[0].get("content")
        assert refresh.startswith("0; url=")
        target = urljoin(old, refresh.split("url=", 1)[1])
        assert target == base + urls.resource_page(RENAMED_NEW)
        assert doc.cssselect("link[rel=canonical]")[0].get("href") == SUBPATH_URL + urls.resource_page(RENAMED_NEW)
        visible = {urljoin(old, a.get("href")) for a in doc.cssselect("main a")}
        assert {target, base + urls.resource_pdf(RENAMED_NEW)} <= visible
        assert RENAMED_TITLE in doc.text_content()
        final, body = fetch(target)
        assert visible_text(lxml.html.fromstring(body).cssselect("article h1")[0]) == RENAMED_TITLE


def test_old_pdf_url_redirects_to_the_new_pdf(variant):
    with serve(variant / "site", "/wbl/") as base:
        final, body = fetch(base + urls.resource_pdf(RENAMED_OLD))
    assert final == base + urls.resource_pdf(RENAMED_NEW)
    assert body == (variant / "site" / urls.resource_pdf(RENAMED_NEW)).read_bytes()


def test_redirects_file_lists_old_pages_pdfs_and_packets_under_the_sub_path(variant):
    """One ``_redirects`` at the site root, with every edition's old URLs (hosts read no
    other): the English edition's, then the Spanish edition's under its own folder."""
    rules = [line for line in (variant / "site/_redirects").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rules == [
        f"{base}{old} {base}{new} 301"
        for base in ("/wbl/", "/wbl/es/")
        for old, new in [(urls.resource_page(RENAMED_OLD), urls.resource_page(RENAMED_NEW)),
                         (urls.resource_pdf(RENAMED_OLD), urls.resource_pdf(RENAMED_NEW)),
                         (urls.activity_page(SECOND_FORMER), urls.activity_page(SECOND_ACTIVITY)),
                         (urls.activity_packet(SECOND_FORMER), urls.activity_packet(SECOND_ACTIVITY))]
    ]
    assert not (variant / "site/es/_redirects").exists()


def test_old_activity_and_packet_urls_lead_to_the_new_ones(variant):
    with serve(variant / "site", "/wbl/") as base:
        old = base + urls.activity_page(SECOND_FORMER)
        final, body = fetch(old)
        doc = lxml.html.fromstring(body)
        refresh = doc.cssselect('meta[http-equiv="refresh"]')[0].get("content")
        assert urljoin(old, refresh.split("url=", 1)[1]) == base + urls.activity_page(SECOND_ACTIVITY)
        visible = {urljoin(old, a.get("href")) for a in doc.cssselect("main a")}
        assert base + urls.activity_packet(SECOND_ACTIVITY) in visible
        final, body = fetch(base + urls.activity_packet(SECOND_FORMER))
        assert final == base + urls.activity_packet(SECOND_ACTIVITY) and body.startswith(b"%PDF-")


def test_redirect_pages_stay_out_of_nav_search_and_sitemap(variant):
    site = variant / "site"
    for old in (RENAMED_OLD, SECOND_FORMER):
        assert (site / old.join(["resources/" if old == RENAMED_OLD else "activities/", "/index.html"])).is_file()
        for path in ("sitemap.xml", "search/search_index.json", "index.html"):
            assert old not in (site / path).read_text(encoding="utf-8"), path


def test_no_renames_no_redirects(fixture_site):
    site = fixture_site / "site"
    rules = [line for line in (site / "_redirects").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rules == []
    assert {p.name for p in (site / "resources").iterdir() if p.is_dir()} == set(load(fixture_site).resources)


def test_shipped_redirects_follow_former_ids(site, toolkit):
    """The shipped site's _redirects has exactly a page and a PDF rule per former id (derived
    from the content; none when nothing was renamed)."""
    from urllib.parse import urlparse

    rules = [line for line in (site / "_redirects").read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    expected = []
    for folder in ["", *(f"{lang}/" for lang in toolkit.editions)]:   # every edition's, in the one root file
        base = urlparse(toolkit.site.site_url).path + folder
        for r in toolkit.resources.values():
            for old in r.former_ids:
                expected += [f"{base}{urls.resource_page(old)} {base}{urls.resource_page(r.id)} 301",
                             f"{base}{urls.resource_pdf(old)} {base}{urls.resource_pdf(r.id)} 301"]
        for aid, a in toolkit.activities.items():
            for old in a.former_ids:
                expected += [f"{base}{urls.activity_page(old)} {base}{urls.activity_page(aid)} 301",
                             f"{base}{urls.activity_packet(old)} {base}{urls.activity_packet(aid)} 301"]
    assert sorted(rules) == sorted(expected)


def test_answers_saved_on_the_device_follow_a_renamed_resource(variant, browser):
    """A student's answers saved in the browser under the resource's old id come back on the
    renamed page, and are kept under the new id from then on."""
    with serve(variant / "site", "/wbl/") as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + urls.resource_page(RENAMED_NEW))
        name = page.locator("form.tk-form input[type=text], form.tk-form textarea").first.get_attribute("name")
        old_key, new_key = (f"wbl-toolkit.answers.v1:en:{rid}" for rid in (RENAMED_OLD, RENAMED_NEW))
        page.evaluate("([key, answers]) => localStorage.setItem(key, JSON.stringify({saved: '2026-01-05T10:00:00Z', answers}))",
                      [old_key, {name: "Written before the rename"}])
        page.reload()
        assert page.locator(f"form.tk-form [name='{name}']").input_value() == "Written before the rename"
        keys = page.evaluate("() => Object.keys(localStorage).filter(k => k.startsWith('wbl-toolkit.answers'))")
        assert keys == [new_key]
        context.close()

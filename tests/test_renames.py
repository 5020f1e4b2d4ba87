"""Renaming keeps old links alive: ``former_ids`` in content, checked by the loader so every
old URL leads to exactly one place."""
from __future__ import annotations

from urllib.parse import urljoin

import lxml.html
import pytest

from conftest import SUBPATH_URL
from macros import urls
from macros.loader import load_toolkit
from server import fetch, serve
from test_content_errors import ACTIVITY, CHECKLIST, edit, line_of, problems
from variants import RENAMED_NEW, RENAMED_OLD, RENAMED_TITLE, SECOND_ACTIVITY, SECOND_FORMER, rename_resource

RENAMED = f"content/resources/{RENAMED_NEW}.yml"


def test_renamed_resource_loads_with_its_former_id(project):
    before = list(load_toolkit(project).resources).index(RENAMED_OLD)
    rename_resource(project)
    toolkit = load_toolkit(project)
    assert RENAMED_OLD not in toolkit.resources
    assert toolkit.resources[RENAMED_NEW].former_ids == [RENAMED_OLD]
    # every reference followed the rename, so the toolkit order is unchanged
    assert list(toolkit.resources).index(RENAMED_NEW) == before


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
    edit(project, CHECKLIST, "kind: checklist\n", "former_ids: [informational-interview-student-checklist]\nkind: checklist\n")
    assert "'former_ids' lists 'informational-interview-student-checklist', the current id" in problems(project)


def test_activity_former_id_that_is_a_current_id_is_refused(project):
    (project / "content/activities/job-shadowing.yml").write_text(
        (project / ACTIVITY).read_text(encoding="utf-8")
        .replace("id: informational-interviews", "id: job-shadowing\nformer_ids: [informational-interviews]")
        .replace('title: "Informational Interviews"', 'title: "Job Shadowing"'),
        encoding="utf-8",
    )
    report = problems(project)
    assert "content/activities/job-shadowing.yml:3:14: former_ids[0]: 'informational-interviews' is the id of a current activity" in report


@pytest.mark.parametrize("where", ["tools", "related", "link"])
def test_reference_to_a_former_id_names_the_new_id(project, where):
    rename_resource(project)
    if where == "tools":
        edit(project, ACTIVITY, f"- {RENAMED_NEW}", f"- {RENAMED_OLD}")
    elif where == "related":
        edit(project, CHECKLIST, f"  - {RENAMED_NEW}", f"  - {RENAMED_OLD}")
    else:
        edit(project, CHECKLIST, "Do the *Informational Interview Research Activity*.", f"Do the [research worksheet](resource:{RENAMED_OLD}).")
    lines = [line for line in problems(project).splitlines() if "renamed" in line]
    assert len(lines) == 1
    assert RENAMED_OLD in lines[0]
    assert lines[0].endswith(f"— it was renamed to '{RENAMED_NEW}' (see former_ids in {RENAMED}); use the new id"
                             + (" (resources live in content/resources/<id>.yml)" if where == "tools" else ""))


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
        assert lxml.html.fromstring(body).cssselect("article h1")[0].text_content().strip() == RENAMED_TITLE


def test_old_pdf_url_redirects_to_the_new_pdf(variant):
    with serve(variant / "site", "/wbl/") as base:
        final, body = fetch(base + urls.resource_pdf(RENAMED_OLD))
    assert final == base + urls.resource_pdf(RENAMED_NEW)
    assert body == (variant / "site" / urls.resource_pdf(RENAMED_NEW)).read_bytes()


def test_redirects_file_lists_old_pages_pdfs_and_packets_under_the_sub_path(variant):
    rules = [line for line in (variant / "site/_redirects").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rules == [
        f"/wbl/{urls.resource_page(RENAMED_OLD)} /wbl/{urls.resource_page(RENAMED_NEW)} 301",
        f"/wbl/{urls.resource_pdf(RENAMED_OLD)} /wbl/{urls.resource_pdf(RENAMED_NEW)} 301",
        f"/wbl/{urls.activity_page(SECOND_FORMER)} /wbl/{urls.activity_page(SECOND_ACTIVITY)} 301",
        f"/wbl/{urls.activity_packet(SECOND_FORMER)} /wbl/{urls.activity_packet(SECOND_ACTIVITY)} 301",
    ]


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


def test_no_renames_no_redirects(site, toolkit):
    rules = [line for line in (site / "_redirects").read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rules == []
    assert {p.name for p in (site / "resources").iterdir()} == set(toolkit.resources)

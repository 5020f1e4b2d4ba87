"""resources.json: valid against its committed JSON Schema, every URL resolves in the built
site, PDF sizes are real, and the catalog, the nav and the activity pages list the same
resources — also with two activities sharing a resource."""
from __future__ import annotations

import json
from urllib.parse import urljoin, urlparse

import jsonschema
import lxml.html
import pytest

from conftest import ROOT, SUBPATH_URL
from helpers import norm, site_file
from macros import urls
from macros.loader import load_toolkit
from variants import RENAMED_NEW, RENAMED_OLD, SECOND_ACTIVITY, SECOND_CHECKLIST, SHARED

SCHEMA = json.loads((ROOT / "schemas/resources-catalog.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(params=["site", "variant"])
def built(request, site, toolkit):
    """(site folder, its site_url, its toolkit) for the shipped site and the variant build."""
    if request.param == "site":
        return site, toolkit.site.site_url, toolkit
    variant = request.getfixturevalue("variant")
    return variant / "site", SUBPATH_URL, load_toolkit(variant)


def _catalog(site):
    return json.loads((site / urls.CATALOG).read_text(encoding="utf-8"))


def _urls(value):
    """Every string value in the catalog that is a URL."""
    if isinstance(value, dict):
        for v in value.values():
            yield from _urls(v)
    elif isinstance(value, list):
        for v in value:
            yield from _urls(v)
    elif isinstance(value, str) and value.startswith(("http://", "https://")):
        yield value


def test_schema_is_valid_and_strict():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in SCHEMA["$defs"].values() if d.get("type") == "object")


def test_catalog_validates_against_the_schema(built):
    site, _, _ = built
    jsonschema.Draft202012Validator(SCHEMA).validate(_catalog(site))


def test_schema_rejects_a_catalog_that_breaks_it(site):
    data = _catalog(site)
    del data["resources"][0]["pdf_url"]
    data["resources"][1]["surprise"] = 1
    errors = list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data))
    assert {e.validator for e in errors} == {"required", "additionalProperties"}


def test_every_catalog_url_resolves_to_a_file(built):
    site, site_url, _ = built
    data = _catalog(site)
    assert data["site_url"] == site_url
    checked = 0
    for url in _urls(data):  # page, PDF and packet URLs alike
        path, fragment = site_file(site, site_url, url)
        assert path.is_file(), f"{url} -> {path} missing"
        if fragment:
            assert lxml.html.parse(str(path)).getroot().get_element_by_id(fragment) is not None, url
        checked += 1
    assert checked >= 3 * len(data["resources"]) + len(data["audiences"]) + 2 * len(data["activities"])


def test_pdf_sizes_are_the_built_pdfs(built):
    site, site_url, _ = built
    data = _catalog(site)
    for entry, url, size in [(r, r["pdf_url"], r["pdf_bytes"]) for r in data["resources"]] + \
                            [(a, a["packet_url"], a["packet_bytes"]) for a in data["activities"]]:
        path, _ = site_file(site, site_url, url)
        assert size == path.stat().st_size > 1000, entry["id"]


def test_catalog_describes_each_resource(site, toolkit):
    data = _catalog(site)
    assert [r["id"] for r in data["resources"]] == list(toolkit.resources)
    for entry in data["resources"]:
        r = toolkit.resources[entry["id"]]
        assert entry["title"] == r.title and entry["kind"] == r.kind and entry["audiences"] == r.audiences
        used_in = toolkit.activities_using(r.id)
        stage_order = [s.id for s in toolkit.site.continuum.stages]
        assert entry["activities"] == [a.id for a in used_in]
        assert entry["stages"] == sorted({a.stage for a in used_in}, key=stage_order.index)
        assert entry["page_url"] == toolkit.site.site_url + urls.resource_page(r.id)
        assert entry["pdf_url"] == toolkit.site.site_url + urls.resource_pdf(r.id)
        assert entry["packet_urls"] == [toolkit.site.site_url + urls.activity_packet(a.id) for a in used_in]
        assert entry["revised"] == r.revised.isoformat() and entry["languages"] == ["en", "es"]
        assert set(entry["editions"]) == {"es"}
        assert "*" not in entry["summary"] and entry["summary"]


def _linked_resources(doc, page):
    """Resource ids whose pages the links in ``doc`` (at site path ``page``) point to."""
    out = []
    for a in doc:
        path = urlparse(urljoin("http://h/x/" + page, a.get("href"))).path.removeprefix("/x/")
        if path.startswith("resources/") and path.count("/") == 2 and path.endswith("/"):
            out.append(path.split("/")[1])
    return out


def test_catalog_nav_and_activity_pages_list_the_same_resources(built):
    site, _, toolkit = built
    catalog_ids = [r["id"] for r in _catalog(site)["resources"]]
    assert len(catalog_ids) == len(set(catalog_ids))  # each resource once
    home = lxml.html.parse(str(site / "index.html")).getroot()
    nav_ids = _linked_resources(home.cssselect("nav.md-nav--primary a"), "")
    on_activity_pages = set()
    for aid, activity in toolkit.activities.items():
        page = urls.activity_page(aid)
        doc = lxml.html.parse(str(site / page / "index.html")).getroot()
        listed = _linked_resources(doc.cssselect("article ul.tk-resource-list a"), page)
        assert listed == activity.resource_ids  # in the activity's order
        on_activity_pages |= set(listed)
    assert set(catalog_ids) == set(nav_ids) == on_activity_pages == set(toolkit.resources)


def test_shared_resource_across_two_activities(variant):
    site = variant / "site"
    data = _catalog(site)
    shared = [r for r in data["resources"] if r["id"] == SHARED]
    assert len(shared) == 1
    using = [a.id for a in load_toolkit(variant).activities.values() if SHARED in a.resource_ids]
    assert shared[0]["activities"] == using and {"informational-interviews", SECOND_ACTIVITY} <= set(using)
    assert shared[0]["packet_urls"] == [SUBPATH_URL + urls.activity_packet(a) for a in shared[0]["activities"]]
    assert [a["id"] for a in data["activities"]] == list(load_toolkit(variant).activities)
    assert any(r["id"] == SECOND_CHECKLIST for r in data["resources"])
    for aid in shared[0]["activities"]:
        doc = lxml.html.parse(str(site / urls.activity_page(aid) / "index.html")).getroot()
        assert SHARED in _linked_resources(doc.cssselect("article a"), urls.activity_page(aid))
    page = urls.resource_page(SHARED)
    doc = lxml.html.parse(str(site / page / "index.html")).getroot()
    related = doc.cssselect("aside.tk-related a")
    targets = [urlparse(urljoin("http://h/x/" + page, a.get("href"))).path.removeprefix("/x/") for a in related]
    assert urls.activity_page("informational-interviews") in targets and urls.activity_page(SECOND_ACTIVITY) in targets
    text = norm(doc.cssselect("aside.tk-related")[0].text_content())
    assert "Activity: Informational Interviews" in text and "Activity: Job Shadowing" in text


def test_renamed_resource_keeps_its_former_id_in_the_catalog(variant):
    entry = next(r for r in _catalog(variant / "site")["resources"] if r["id"] == RENAMED_NEW)
    assert entry["former_ids"] == [RENAMED_OLD]


def test_variant_is_a_content_only_change(variant):
    """The second activity and the rename needed no code: outside content/, the variant
    project is byte-for-byte the shipped one."""
    skip = {"content", "site", ".cache", ".venv", ".git", "__pycache__", ".pytest_cache", "node_modules"}

    def files(root):
        return {p.relative_to(root): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and not skip & set(p.relative_to(root).parts) and not p.name.startswith(".site-")}

    ours, theirs = files(ROOT), files(variant)
    assert ours.keys() == theirs.keys() and ours == theirs
    assert (variant / "content/activities/job-shadowing.yml").is_file()

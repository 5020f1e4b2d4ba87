"""Case 12 (../shared/cases/README.md): a phase titled ``Paso 2 (opcional): Preparación``
gets the anchor ``#<phase-id>`` — an id, never the title — and every link to it lands on it,
on the web and in the PDFs. Links to anchors that do not exist, and two parts of one page with
the same id, are content errors. Made in fixture projects (tests/fixtures/base); the shipped
site is only checked for anchors that resolve."""
from __future__ import annotations

from urllib.parse import urljoin, urlparse

import lxml.html
import pypdf
import pytest

from conftest import make_project, run_build
from helpers import edit, line_of, load, problems, site_url, urls
from test_content_errors import ACTIVITY, CHECKLIST

CHECKLIST_ID = "site-visit-student-checklist"
REFLECTION = "content/resources/site-visit-student-reflection.yml"
REFLECTION_ID = "site-visit-student-reflection"
SPANISH = "Paso 2 (opcional): Preparación"
PHASE = '  - id: after\n    title: "After the visit"'


def _ids(page) -> list[str]:
    return [el.get("id") for el in lxml.html.parse(str(page)).getroot().iter() if el.get("id")]


def _resolve(page_path: str, href: str) -> tuple[str, str]:
    """(site path of the target page, fragment) of a relative ``href`` on ``page_path``."""
    target = urlparse(urljoin("http://h/" + page_path, href))
    return target.path.lstrip("/"), target.fragment


@pytest.fixture(scope="module")
def spanish_site(tmp_path_factory):
    """A project copy whose student checklist has the phase ``Paso 2 (opcional): Preparación``
    (id ``paso-2``), linked from its own introduction, from the reflection and from the
    activity; built for real, PDFs included."""
    project = make_project(tmp_path_factory.mktemp("case12") / "project")
    edit(project, CHECKLIST, PHASE, f'  - id: paso-2\n    title: "{SPANISH}"')
    edit(project, CHECKLIST, '  - "Use this list', '  - "Start with [Paso 2](#paso-2). Use this list')
    edit(project, REFLECTION, '  - "Fill in this reflection', f'  - "Before you start, see [Paso 2](resource:{CHECKLIST_ID}#paso-2). Fill in this reflection')
    edit(project, ACTIVITY, '      - "**Classroom preparation.**', f'      - "[Paso 2](resource:{CHECKLIST_ID}#paso-2) of the checklist. **Classroom preparation.**')
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    return project


def test_case12_heading_anchor_is_the_phase_id(spanish_site):
    page = spanish_site / "site" / urls.resource_page(CHECKLIST_ID) / "index.html"
    doc = lxml.html.parse(str(page)).getroot()
    heading = doc.cssselect("article h2#paso-2")
    for permalink in doc.cssselect("article h2#paso-2 a.headerlink"):
        permalink.drop_tree()
    assert len(heading) == 1 and heading[0].text_content().strip() == SPANISH
    assert _ids(page).count("paso-2") == 1
    assert "paso-2-opcional-preparacion" not in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("source, page_path", [
    (CHECKLIST_ID, urls.resource_page(CHECKLIST_ID)),           # same page: [Paso 2](#paso-2)
    (REFLECTION_ID, urls.resource_page(REFLECTION_ID)),         # resource:<id>#paso-2
    ("activity", urls.activity_page("site-visits")),
])
def test_case12_every_link_lands_on_the_heading(spanish_site, source, page_path):
    site = spanish_site / "site"
    doc = lxml.html.parse(str(site / page_path / "index.html")).getroot()
    hrefs = [a.get("href") for a in doc.cssselect("article a") if a.text_content() == "Paso 2"]
    assert hrefs, f"no link to Paso 2 on {page_path}"
    for href in hrefs:
        target, fragment = _resolve(page_path, href)
        assert (target, fragment) == (urls.resource_page(CHECKLIST_ID), "paso-2"), href
        assert "paso-2" in _ids(site / target / "index.html")


def test_case12_pdf_links_carry_the_anchor(spanish_site):
    site = spanish_site / "site"
    base = site_url(load(spanish_site))
    reflection = pypdf.PdfReader(str(site / urls.resource_pdf(REFLECTION_ID)))
    uris = [a.get_object()["/A"].get("/URI") for p in reflection.pages for a in p.get("/Annots", []) if "/A" in a.get_object()]
    assert urls.absolute(urls.resource_page(CHECKLIST_ID), base) + "#paso-2" in uris
    checklist = pypdf.PdfReader(str(site / urls.resource_pdf(CHECKLIST_ID)))
    assert "paso-2" in checklist.named_destinations  # the same-page link's target exists in the PDF
    assert SPANISH in " ".join(checklist.pages[0].extract_text().split())


def test_case12_same_page_link_in_the_packet_lands_on_its_own_phase(spanish_site):
    """In the activity packet every resource's ids carry a prefix; its same-page links do too."""
    packet = pypdf.PdfReader(str(spanish_site / "site" / urls.activity_packet("site-visits")))
    prefixed = f"{CHECKLIST_ID}--paso-2"
    assert prefixed in packet.named_destinations and "paso-2" not in packet.named_destinations
    targets = [a.get_object().get("/Dest") or a.get_object().get("/A", {}).get("/D") for p in packet.pages for a in p.get("/Annots", [])]
    assert prefixed in [str(t) for t in targets if t is not None]


def test_case12_link_written_from_the_title_names_the_id(project):
    edit(project, CHECKLIST, PHASE, f'  - id: paso-2\n    title: "{SPANISH}"')
    edit(project, REFLECTION, 'summary: "', f'summary: "See [Paso 2](resource:{CHECKLIST_ID}#paso-2-opcional-preparacion). ')
    line = line_of(project, REFLECTION, "summary:")
    assert (f"{REFLECTION}:{line}:10: summary: the link 'resource:{CHECKLIST_ID}#paso-2-opcional-preparacion' points to "
            f"'#paso-2-opcional-preparacion', which is not on the page of resource '{CHECKLIST_ID}' — a link to part of "
            "a page uses that part's id, not its title: write '#paso-2'") in problems(project)


def test_case12_misspelt_and_same_page_anchors_are_reported(project):
    edit(project, REFLECTION, '  - "Fill in', '  - "See [a](activity:site-visits#purpse) and [b](#no-such-part). Fill in')
    report = problems(project)
    assert "the link 'activity:site-visits#purpse' points to '#purpse', which is not on the page of activity 'site-visits' — did you mean '#purpose'?" in report
    assert "the link '#no-such-part' points to no part of this page — use the id of a part of that page ('#visit-details', " in report


@pytest.mark.parametrize("field, text, expected", [
    ("introduction", '  - "See [Related](#related-resources). Fill in', "the link '#related-resources' points to no part of this page"),
    ("introduction", f'  - "See [me](#{REFLECTION_ID}). Fill in', f"the link '#{REFLECTION_ID}' points to no part of this page"),
    ("summary", 'summary: "See [thanks](#thank-you). ', f"the link '#thank-you' cannot be used here: the summary is also shown on other pages, where it would point elsewhere — write it as resource:{REFLECTION_ID}#thank-you"),
])
def test_same_page_links_only_to_anchors_the_pdf_has_too(project, field, text, expected):
    """The page title and the Related list are on the web page only; a summary is also shown
    in lists on other pages. Links there would break the PDF or land on the wrong page."""
    old = 'summary: "' if field == "summary" else '  - "Fill in'
    edit(project, REFLECTION, old, text)
    assert f"{field}" in problems(project) and expected in problems(project)


def test_case12_renaming_a_phase_id_breaks_links_loudly(project):
    """A link to a phase survives retitling (the id stays) but not a changed id: the editor
    hears which link broke."""
    edit(project, REFLECTION, 'summary: "', f'summary: "See [Before](resource:{CHECKLIST_ID}#before). ')
    edit(project, CHECKLIST, 'title: "Before the visit"', 'title: "Antes de la visita"')
    load(project)  # retitled: the link still works
    edit(project, CHECKLIST, "  - id: before\n", "  - id: antes\n")
    assert f"the link 'resource:{CHECKLIST_ID}#before' points to '#before', which is not on the page" in problems(project)


@pytest.mark.parametrize("old, new, field, first", [
    ("  - id: after\n", "  - id: site-visit-student-checklist\n", "phases[1].id", "id"),
    ("  - id: after\n", "  - id: related-resources\n", "phases[1].id", None),
])
def test_two_parts_of_a_page_with_one_id_are_refused(project, old, new, field, first):
    edit(project, CHECKLIST, old, new)
    line = line_of(project, CHECKLIST, new.strip())
    report = problems(project)
    assert f"{CHECKLIST}:{line}:5: {field}: the id " in report
    assert "ids on one page must all be different (they are its anchors); change this one" in report
    assert ("is already used on this page by id (line 2)" if first else "is used by the page itself (its Related list)") in report


def test_part_and_field_with_one_id_are_refused(project):
    edit(project, REFLECTION, '  - id: looking-back\n', '  - id: student-name\n')
    assert "parts[1].id: the id 'student-name' is already used on this page by parts[0].fields[0].id (line" in problems(project)


# -- the shipped site ------------------------------------------------------------------------


def test_anchor_lists_match_the_built_pages(site, toolkit):
    """urls.resource_anchors / activity_anchors (what the loader checks links against) name
    exactly the ids the templates put on each page, each once."""
    for rid in toolkit.resources:
        ids = _ids(site / urls.resource_page(rid) / "index.html")
        for anchor in urls.resource_anchors(toolkit.resources[rid]):
            assert ids.count(anchor.name) == 1, (rid, anchor.name)
    for aid, activity in toolkit.activities.items():
        ids = _ids(site / urls.activity_page(aid) / "index.html")
        for anchor in urls.activity_anchors(activity):
            assert ids.count(anchor.name) == 1, (aid, anchor.name)


def test_every_link_with_an_anchor_lands_on_an_element(site):
    checked = 0
    for page in site.rglob("*.html"):
        page_path = page.parent.relative_to(site).as_posix() + "/"
        page_path = "" if page_path == "./" else page_path
        for a in lxml.html.parse(str(page)).getroot().cssselect("a[href*='#']"):
            href = a.get("href")
            if urlparse(href).scheme or href == "#":
                continue
            target, fragment = _resolve(page_path, href)
            if not fragment or fragment.startswith("__") or not (site / target / "index.html").exists():
                continue  # Material's own controls (#__drawer …)
            assert fragment in _ids(site / target / "index.html"), f"{page_path}: {href}"
            checked += 1
    assert checked >= 1  # at least the activity page's link to its stage on the continuum

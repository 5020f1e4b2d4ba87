"""How long a printed sheet is: the normal print style when it fits the resource's page budget
and its last page is worth the paper; the compact style when the normal one runs past the
budget, or leaves a few lines alone on a last page and the compact style saves that page.

Each test writes the fixture checklist with as many items as its case needs. The counts are
found by laying the normal style out (the fixture's words and the fonts decide where pages
break, not the test), then the sheet is made by the PDF stage as the build makes it."""
from __future__ import annotations

import pypdf
import pytest
import yaml

from conftest import make_project
from helpers import build_pdfs_module, load, urls
from test_content_errors import CHECKLIST, CHECKLIST_ID

URL = "https://example.org/toolkit/"
#: Type sizes in points (macros/assets/print.css): the normal and the compact style's text.
NORMAL_PT, COMPACT_PT = 10.5, 9.5


def _write_checklist(project, items: int, max_pages: int) -> None:
    """The fixture checklist with ``items`` steps in its first phase and the page budget."""
    path = project / CHECKLIST
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["max_pages"] = max_pages
    data["phases"][0]["items"] = [{"id": f"step-{n}", "text": f"Step {n}: check the room, the time and the name of the host."}
                                  for n in range(1, items + 1)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _normal_layout(project, items: int) -> tuple[int, float]:
    """(pages, how full the last page is) of the checklist with ``items`` steps, normal style."""
    from macros import pdf, render

    _write_checklist(project, items, 9)
    doc = pdf.render_document(pdf.print_html(render.Renderer(load(project), URL), CHECKLIST_ID), **pdf.PDF_OPTIONS)
    return len(doc.pages), pdf.last_page_fill(doc)


def _fewest_items(project, condition, low: int = 1, high: int = 200) -> int:
    """The smallest step count whose normal layout meets ``condition(pages, fill)``, which
    must hold for every larger count up to ``high`` (e.g. a length: ``pages - 1 + fill``)."""
    assert condition(*_normal_layout(project, high))
    while low < high:
        middle = (low + high) // 2
        if condition(*_normal_layout(project, middle)):
            high = middle
        else:
            low = middle + 1
    return low


def _published(project, max_pages: int, items: int) -> tuple[int, float]:
    """Make the checklist's English PDF with the PDF stage; return (pages, its steps' type size
    in points)."""
    _write_checklist(project, items, max_pages)
    result = build_pdfs_module().build(project, site_dir=project / "out", jobs=1, progress=False,
                                       only=[CHECKLIST_ID], languages=["en"])
    assert result.ok, result.failed
    reader = pypdf.PdfReader(project / "out" / urls.resource_pdf(CHECKLIST_ID))
    sizes = set()

    def visit(text, cm, tm, font, size):  # noqa: ARG001 - pypdf's visitor signature
        if text.startswith("Step "):
            sizes.add(round(size * tm[0] * cm[0], 1))   # WeasyPrint writes px at a 0.75 scale

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert len(sizes) == 1, sizes
    return len(reader.pages), sizes.pop()


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return make_project(tmp_path_factory.mktemp("fit") / "project")


def test_a_sheet_that_fits_with_a_well_filled_last_page_keeps_the_normal_style(project):
    items = _fewest_items(project, lambda pages, fill: pages - 1 + fill >= 1.5)   # a page and a half
    assert _published(project, 2, items) == (2, NORMAL_PT)


def test_a_few_lines_alone_on_the_last_page_are_saved_by_the_compact_style(project):
    items = _fewest_items(project, lambda pages, fill: pages >= 2)   # one step runs over
    assert _published(project, 2, items) == (1, COMPACT_PT)


def test_a_sheet_past_its_page_budget_is_printed_compact_within_it(project):
    items = _fewest_items(project, lambda pages, fill: pages >= 2)
    assert _published(project, 1, items) == (1, COMPACT_PT)


def test_a_stray_page_the_compact_style_cannot_save_stays_in_the_normal_style(project):
    """A last page filled a little less than the stray-page share: the compact style does not
    empty it, so the normal style, easier to read, is published."""
    from macros import pdf, render

    items = _fewest_items(project, lambda pages, fill: pages >= 2)
    while True:   # the counts whose normal layout ends on a stray second page
        pages, fill = _normal_layout(project, items)
        assert pages == 2 and fill < pdf.STRAY_PAGE, (
            "the compact style saved every stray page of this checklist: the case needs another fixture")
        html = pdf.print_html(render.Renderer(load(project), URL), CHECKLIST_ID)
        if len(pdf.render_document(pdf.compact(html), **pdf.PDF_OPTIONS).pages) == 2:
            break
        items += 1
    assert _published(project, 2, items) == (2, NORMAL_PT)

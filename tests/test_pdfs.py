"""The PDFs: Letter pages, lengths from the brief, every item in the extracted text, running
header and footer."""
from __future__ import annotations

import io

import pypdf
import pytest

from brief import ORDER, RESOURCES
from helpers import expected_texts, norm
from macros import urls

LETTER = (612, 792)  # points: 8.5 × 11 in


def _pdf(site, rid):
    return pypdf.PdfReader(io.BytesIO((site / urls.resource_pdf(rid)).read_bytes()))


@pytest.mark.parametrize("rid", ORDER)
def test_pdf_pages_are_letter_portrait_and_length_matches_brief(site, rid):
    reader = _pdf(site, rid)
    lo, hi = RESOURCES[rid][3]
    assert lo <= len(reader.pages) <= hi
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width)), round(float(box.height))) == LETTER


@pytest.mark.parametrize("rid", ORDER)
def test_pdf_text_has_title_and_every_item(site, toolkit, rid):
    reader = _pdf(site, rid)
    text = norm(" ".join(p.extract_text() for p in reader.pages))
    for expected in expected_texts(toolkit.resources[rid]):
        assert norm(expected) in text, f"{rid}: {expected!r} not in PDF text"


@pytest.mark.parametrize("rid", ORDER)
def test_pdf_running_header_and_footer(site, toolkit, rid):
    reader = _pdf(site, rid)
    n = len(reader.pages)
    district = toolkit.site.district
    for i, page in enumerate(reader.pages, start=1):
        text = norm(page.extract_text())
        assert f"{district.name} · {district.toolkit_name}" in text
        assert f"Page {i} of {n}" in text
        assert "Revised November 20, 2026" in text
        assert norm(toolkit.resources[rid].title) in text


def test_pdf_embeds_the_toolkit_font(site):
    reader = _pdf(site, "informational-interview-student-checklist")
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts and all("Atkinson-Hyperlegible" in f for f in fonts), fonts

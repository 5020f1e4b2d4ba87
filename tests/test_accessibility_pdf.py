"""Accessibility of what we publish that can be checked without a browser: PDF structure on
every PDF, reading level of every resource, brand colour contrast."""
from __future__ import annotations

import pytest

from brief import ORDER
from macros import model as m
from macros import readability, urls
from macros.pdf_check import check_pdf

PDFS = [urls.resource_pdf(rid) for rid in ORDER] + [urls.activity_packet("informational-interviews")]
PDFS += ["es/" + p for p in PDFS]  # the Spanish edition too


@pytest.mark.parametrize("rel", PDFS)
def test_pdf_passes_structural_accessibility_checks(site, rel):
    assert check_pdf(site / rel) == []


def test_checker_catches_an_untagged_pdf(tmp_path):
    import weasyprint

    path = tmp_path / "plain.pdf"
    weasyprint.HTML(string="<html><body><h2>Skipped H1</h2><input name='x'></body></html>").write_pdf(path, pdf_forms=True)
    problems = check_pdf(path)
    assert "no structure tree (the PDF is not tagged)" in problems
    assert "no PDF/UA-1 identifier in the XMP metadata" in problems


@pytest.mark.parametrize("rid", ORDER)
def test_reading_level(toolkit, rid):
    r = toolkit.resources[rid]
    grade = readability.grade(r)
    print(f"{rid}: Flesch–Kincaid grade {grade:.1f} (limit {readability.limit(r):.0f})")
    assert grade <= readability.limit(r)


def test_reading_level_check_can_fail():
    hard = m.Checklist(
        id="x", kind="checklist", title="X", audiences=["student"], summary="Summary.", revised="2026-01-01", max_pages=1,
        phases=[{"id": "p", "title": "P", "items": [{"id": "i", "text": "Institutional considerations notwithstanding, organisational representatives systematically operationalise interdisciplinary methodologies."}]}],
    )
    assert readability.grade(hard) > readability.limit(hard)


def test_brand_palette_contrast(toolkit):
    brand = toolkit.site.district.brand
    for colour in (brand.primary, brand.primary_dark, brand.accent):
        assert m.contrast_ratio(colour) >= 4.5           # text and links on white
        assert m.contrast_ratio("#ffffff", colour) >= 4.5  # white header text on the colour
    assert round(m.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(m.contrast_ratio("#767676"), 2) == 4.54   # WCAG's well-known AA grey

"""Accessibility of what we publish that can be checked without a browser: PDF structure on
every PDF, reading level of every resource, brand colour contrast."""
from __future__ import annotations


from helpers import check_pdf, contrast_ratio, m, reading_grade, urls


def _pdfs(site, toolkit) -> list:
    rels = [urls.resource_pdf(rid) for rid in toolkit.resources] + [urls.activity_packet(a) for a in toolkit.activities]
    return [site / prefix / rel for prefix in ("", "es") for rel in rels]  # the Spanish edition too


def test_every_pdf_passes_structural_accessibility_checks(site, toolkit):
    found = {str(p.relative_to(site)): check_pdf(p) for p in _pdfs(site, toolkit)}
    assert {k: v for k, v in found.items() if v} == {}
    assert len(found) == 2 * (len(toolkit.resources) + len(toolkit.activities))


def test_checker_catches_an_untagged_pdf(tmp_path):
    import weasyprint

    path = tmp_path / "plain.pdf"
    weasyprint.HTML(string="<html><body><h2>Skipped H1</h2><input name='x'></body></html>").write_pdf(path, pdf_forms=True)
    problems = check_pdf(path)
    assert "no structure tree (the PDF is not tagged)" in problems
    assert "no PDF/UA-1 identifier in the XMP metadata" in problems


def test_checker_catches_tagged_content_no_element_owns(tmp_path):
    """WeasyPrint's own tagged output leaves a running footer's text tagged but owned by no
    element of the structure tree: the checker says so, reading the content bytes or (content
    split into several streams) the parsed operators; post-processed, the footer is an
    artifact and the complaint goes."""
    import pikepdf
    import weasyprint

    from macros import pdf_post

    html = ("<html lang='en'><head><title>T</title><style>@page { @bottom-right { content: 'Page ' counter(page) } }"
            "</style></head><body><h1>Title</h1><p>Text</p></body></html>")
    raw = weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    outside = "content outside the structure tree is not marked as an artifact"
    (tmp_path / "raw.pdf").write_bytes(raw)
    assert any(outside in p for p in check_pdf(tmp_path / "raw.pdf"))
    with pikepdf.open(tmp_path / "raw.pdf") as pdf:
        for page in pdf.pages:
            data = page.obj.Contents.read_bytes()
            cut = data.index(b"\nBT\n") + 1   # between two operators
            page.obj.Contents = pikepdf.Array([pdf.make_stream(data[:cut]), pdf.make_stream(data[cut:])])
        pdf.save(tmp_path / "split.pdf")
    assert any(outside in p for p in check_pdf(tmp_path / "split.pdf"))
    (tmp_path / "done.pdf").write_bytes(pdf_post.finish(raw, {}))
    assert not any(outside in p for p in check_pdf(tmp_path / "done.pdf"))


def test_reading_level(toolkit):
    """A readers' rule: student resources at grade 8 or below, adult ones at grade 10."""
    too_hard = {}
    for rid, r in toolkit.resources.items():
        grade, limit = reading_grade(r)
        print(f"{rid}: Flesch–Kincaid grade {grade:.1f} (limit {limit:.0f})")
        if grade > limit:
            too_hard[rid] = (round(grade, 1), limit)
    assert not too_hard


def test_reading_level_check_can_fail():
    hard = m.Checklist(
        id="x", kind="checklist", title="X", audiences=["student"], summary="Summary.", revised="2026-01-01", max_pages=1,
        phases=[{"id": "p", "title": "P", "items": [{"id": "i", "text": "Institutional considerations notwithstanding, organisational representatives systematically operationalise interdisciplinary methodologies."}]}],
    )
    grade, limit = reading_grade(hard)
    assert grade > limit


def test_brand_palette_contrast(toolkit):
    brand = toolkit.site.district.brand
    for colour in (brand.primary, brand.primary_dark, brand.accent):
        assert contrast_ratio(colour) >= 4.5           # text and links on white
        assert contrast_ratio("#ffffff", colour) >= 4.5  # white header text on the colour
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast_ratio("#767676"), 2) == 4.54   # WCAG's well-known AA grey

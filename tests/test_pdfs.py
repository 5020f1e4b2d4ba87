"""The PDFs: Letter pages within each resource's page budget, every item in the extracted
text, running header and footer, the toolkit's font. Expectations derived from the content."""
from __future__ import annotations

import re

import pypdf

from helpers import expected_texts, long_date, norm, urls

LETTER = (612, 792)  # points: 8.5 × 11 in


def _pdf(site, rid):
    return pypdf.PdfReader(site / urls.resource_pdf(rid))


def test_pdfs_are_letter_portrait_within_their_page_budget(site, toolkit):
    for rid, r in toolkit.resources.items():
        reader = _pdf(site, rid)
        assert 1 <= len(reader.pages) <= r.max_pages, rid
        for page in reader.pages:
            box = page.mediabox
            assert (round(float(box.width)), round(float(box.height))) == LETTER, rid


def test_pdf_text_has_title_and_every_item(site, toolkit):
    missing = []
    for rid, r in toolkit.resources.items():
        text = norm(" ".join(p.extract_text() for p in _pdf(site, rid).pages))
        missing += [f"{rid}: {e!r}" for e in expected_texts(r) if norm(e) not in text]
    assert not missing, "\n".join(missing)


def test_pdf_running_header_and_footer(site, toolkit):
    district = toolkit.site.district
    for rid, r in toolkit.resources.items():
        reader = _pdf(site, rid)
        n = len(reader.pages)
        for i, page in enumerate(reader.pages, start=1):
            text = norm(page.extract_text())
            assert f"{norm(district.name)} · {norm(district.toolkit_name)}" in text, rid
            assert f"Page {i} of {n}" in text, rid
            assert f"Revised {long_date(r.revised, 'en')}" in text, rid
            assert norm(r.title) in text, rid


def test_pdf_header_shows_the_fixture_s_words(fixture_site):
    """The same on the fixture, with its own words quoted."""
    text = norm(_pdf(fixture_site / "site", "site-visit-student-checklist").pages[0].extract_text())
    assert "Riverside Test District · Fixture WBL Toolkit" in text
    assert "Revised March 2, 2026" in text and "Page 1 of 1" in text


def test_pdfs_embed_only_the_toolkit_fonts(site, toolkit):
    for rid in toolkit.resources:
        fonts = set()
        for page in _pdf(site, rid).pages:
            for font in page["/Resources"]["/Font"].values():
                fonts.add(str(font.get_object()["/BaseFont"]))
        assert fonts and all(re.search(r"Atkinson-?Hyperlegible|Noto", f) for f in fonts), (rid, fonts)


def test_a_render_s_cyclic_garbage_is_freed_when_it_ends_and_the_collector_comes_back():
    """``pdf.one_collection`` pauses the garbage collector during a render: the render's
    reference cycles must be freed at its end (memory bounded by one render), the collector
    must run again afterwards, also after an error and after nested blocks, and a collector
    paused by someone else must stay paused."""
    import gc
    import weakref

    from macros import pdf

    class Box:
        pass

    def cycle():
        a, b = Box(), Box()
        a.other, b.other = b, a
        return weakref.ref(a)

    assert gc.isenabled()
    with pdf.one_collection():
        with pdf.one_collection():
            gone = cycle()
        assert not gc.isenabled() and gone() is not None   # still paused: collected at the outer end
    assert gc.isenabled() and gone() is None
    try:
        with pdf.one_collection():
            gone = cycle()
            raise ValueError("a render failed")
    except ValueError:
        pass
    assert gc.isenabled() and gone() is None
    gc.disable()
    try:
        with pdf.one_collection():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()

"""The Spanish edition: every page and PDF has a Spanish counterpart, the language switch leads
to the same page, Spanish PDFs say so, and translations are kept honest (missing fails the
check, stale warns and shows a notice)."""
from __future__ import annotations

import io
import json
import posixpath

import lxml.html
import pikepdf
import pypdf
import pytest

from brief import ORDER
from helpers import norm
from macros import i18n, render, urls
from macros.loader import ContentError, load_toolkit
from test_content_errors import CHECKLIST, edit

TRANSLATION = "content/translations/es/resources/informational-interview-student-checklist.yml"


def _english_files(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                  if p.is_file() and not p.relative_to(site).as_posix().startswith("es/")
                  and (p.suffix == ".pdf" or p.name == "index.html"))


def test_every_english_page_and_pdf_has_a_spanish_counterpart(site, toolkit):
    english = _english_files(site)
    assert len([p for p in english if p.endswith(".pdf")]) == len(toolkit.resources) + len(toolkit.activities)
    missing = [p for p in english if not (site / "es" / p).is_file()]
    redirects_only = [p for p in missing if "http-equiv" in (site / p).read_text(encoding="utf-8", errors="ignore")[:2000]]
    assert missing == redirects_only


def test_language_switch_leads_to_the_same_page_in_the_other_language(site):
    for rel in [p for p in _english_files(site) if p.endswith("index.html")]:
        for lang, prefix, other in (("en", "", "es"), ("es", "es/", "en")):
            page = site / prefix / rel
            if not page.exists() or "http-equiv" in page.read_text(encoding="utf-8")[:2000]:
                continue
            doc = lxml.html.parse(str(page)).getroot()
            assert doc.get("lang") == lang
            links = {a.get("hreflang"): a.get("href") for a in doc.cssselect("a.md-select__link")}
            assert set(links) == {"en", "es"}, rel
            here = posixpath.dirname(prefix + rel)
            target = posixpath.normpath(posixpath.join(here, links[other]))
            expected = ("" if other == "en" else "es/") + posixpath.dirname(rel)
            assert target.rstrip("/") == expected.rstrip("/").lstrip("./") or (target == "." and expected == ""), (rel, lang, links[other])
            alternates = {l.get("hreflang"): l.get("href") for l in doc.cssselect('link[rel="alternate"][hreflang]')}
            assert set(alternates) == {"en", "es"}
            assert alternates["es"].endswith("/es/" + rel.removesuffix("index.html"))


@pytest.mark.parametrize("rid", ORDER)
def test_spanish_pdf_is_spanish(site, toolkit, rid):
    es = toolkit.edition("es")
    path = site / "es" / urls.resource_pdf(rid)
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert str(pdf.docinfo.Title) == es.resources[rid].title != toolkit.resources[rid].title
        expected = render.form_field_descriptions(es.resources[rid])
        for field in pdf.Root.get("/AcroForm", {}).get("/Fields", []):
            assert str(field.TU) == expected[str(field.T)]
    text = norm(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
    assert es.resources[rid].title in text
    assert f"Revisado {i18n.long_date(es.resources[rid].revised, 'es')}" in text
    assert "Página 1 de" in text


def test_spanish_pages_show_spanish_and_search_in_spanish(site, toolkit):
    es = toolkit.edition("es")
    rid = "informational-interview-student-checklist"
    page = (site / "es" / urls.resource_page(rid) / "index.html").read_text(encoding="utf-8")
    assert es.resources[rid].title in page and "Descargar PDF" in page
    for item in [i for p in es.resources[rid].phases for i in p.items][:5]:
        assert render.plain_text(item.text).split(" ")[0] in page
    index = json.loads((site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    assert any(es.resources[rid].title in d.get("title", "") or es.resources[rid].title in d.get("text", "") for d in index["docs"])


def test_catalog_lists_spanish_urls(site, toolkit):
    catalog = json.loads((site / urls.CATALOG).read_text(encoding="utf-8"))
    assert catalog["languages"] == ["en", "es"]
    for entry in catalog["resources"]:
        es = entry["editions"]["es"]
        assert es["pdf_url"].endswith("/es/" + urls.resource_pdf(entry["id"]))
        assert es["pdf_bytes"] == (site / "es" / urls.resource_pdf(entry["id"])).stat().st_size


def test_missing_translation_fails_the_check(project):
    path = project / TRANSLATION
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == "phases.before.items.pick-a-career.text:")
    path.write_text("\n".join(lines[:i] + lines[i + 3:]) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_toolkit(project)
    assert f"{TRANSLATION}:" in info.value.report()
    assert "texts.phases.before.items.pick-a-career.text: no Spanish text" in info.value.report()


def test_missing_translation_file_fails_the_check(project):
    (project / TRANSLATION).unlink()
    with pytest.raises(ContentError) as info:
        load_toolkit(project)
    assert f"{CHECKLIST}:1:1: there is no Spanish translation: add {TRANSLATION}" in info.value.report()


def test_edited_english_makes_its_translation_stale(project):
    edit(project, CHECKLIST, "Pack a notebook, a pen and your list of questions.", "Pack a notebook, two pens and your questions.")
    toolkit = load_toolkit(project)
    es = toolkit.edition("es")
    assert es.stale == {"informational-interview-student-checklist": ["phases.before.items.pack-supplies.text"]}
    warnings = [str(w) for w in toolkit.warnings if "stale" in w.message]
    assert len(warnings) == 1 and warnings[0].startswith(f"{TRANSLATION}:")
    html = render.Renderer(es, "https://example.org/es/").resource_page("informational-interview-student-checklist")
    assert i18n.UI["es"]["stale_notice"] in html
    fresh = render.Renderer(es, "https://example.org/es/").resource_page("informational-interview-employer-tip-sheet")
    assert i18n.UI["es"]["stale_notice"] not in fresh


def test_translation_keys_follow_ids_not_positions(toolkit):
    keys = [s.key for s in i18n.slots(toolkit.resources["informational-interview-student-checklist"])]
    assert "phases.before.items.pick-a-career.text" in keys
    assert "title" in keys and "summary" in keys
    assert not any(k.endswith(".id") or k.startswith("audiences") or k == "kind" for k in keys)


def test_shipped_translations_are_complete_current_and_follow_the_glossary(toolkit):
    assert toolkit.warnings == []

"""The Spanish edition: every page and PDF has a Spanish counterpart, the language switch leads
to the same page, Spanish PDFs say so, and translations are kept honest (missing fails the
check, stale warns and shows a notice). Shipped-site tests derive what they expect from the
content; translation behaviour is tested on fixture projects."""
from __future__ import annotations

import json
import posixpath

import lxml.html
import pikepdf
import pypdf
import yaml

from markupsafe import escape

from conftest import macros_command, make_project, run_build
from helpers import edit, form_field_descriptions, load, long_date, norm, page_text, urls
from macros.i18n import informal
from test_content_errors import CHECKLIST, CHECKLIST_ID

TRANSLATION = f"content/translations/es/resources/{CHECKLIST_ID}.yml"


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


def test_spanish_pdfs_are_spanish(site, toolkit):
    es = toolkit.edition("es")
    for rid in toolkit.resources:
        path = site / "es" / urls.resource_pdf(rid)
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == "es"
            assert str(pdf.docinfo.Title) == es.resources[rid].title
            expected = form_field_descriptions(es.resources[rid], lang="es",
                                               informal=informal(es.site, es.resources[rid].audiences))
            for field in pdf.Root.get("/AcroForm", {}).get("/Fields", []):
                assert str(field.TU) == expected[str(field.T)]
        text = norm(" ".join(p.extract_text() for p in pypdf.PdfReader(path).pages))
        assert norm(es.resources[rid].title) in text
        assert f"Revisado {long_date(es.resources[rid].revised, 'es')}" in text
        assert "Página 1 de" in text


def test_spanish_pages_show_spanish_and_search_in_spanish(fixture_site):
    site = fixture_site / "site"
    page = page_text(site / "es" / urls.resource_page(CHECKLIST_ID) / "index.html")
    assert "ES Student Site Visit Checklist" in page and "Descargar PDF" in page
    assert "ES Write one question for the host." in page and "ES Pack a notebook and a pen." in page
    pdf_text = norm(pypdf.PdfReader(site / "es" / urls.resource_pdf(CHECKLIST_ID)).pages[0].extract_text())
    assert "ES Student Site Visit Checklist" in pdf_text and "Revisado 2 de marzo de 2026" in pdf_text
    index = json.loads((site / "es" / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == ["es"]
    assert any("ES Student Site Visit Checklist" in d.get("title", "") + d.get("text", "") for d in index["docs"])


def test_catalog_lists_spanish_urls(site):
    catalog = json.loads((site / urls.CATALOG).read_text(encoding="utf-8"))
    assert catalog["languages"] == ["en", "es"]
    for entry in catalog["resources"]:
        es = entry["editions"]["es"]
        assert es["pdf_url"].endswith("/es/" + urls.resource_pdf(entry["id"]))
        assert es["pdf_bytes"] == (site / "es" / urls.resource_pdf(entry["id"])).stat().st_size


def test_missing_translation_falls_back_to_english_with_a_warning(project):
    path = project / TRANSLATION
    lines = path.read_text(encoding="utf-8").splitlines()
    i = next(n for n, line in enumerate(lines) if line.strip() == "phases.before.items.pick-a-question.text:")
    path.write_text("\n".join(lines[:i] + lines[i + 3:]) + "\n", encoding="utf-8")
    toolkit = load(project)
    key = "phases.before.items.pick-a-question.text"
    assert toolkit.edition("es").fallback == {CHECKLIST_ID: [key]}
    warnings = [str(w) for w in toolkit.warnings if key in w.message]
    assert len(warnings) == 1 and warnings[0].startswith(f"{CHECKLIST}:")


def test_missing_translation_file_shows_the_whole_resource_in_english(project):
    (project / TRANSLATION).unlink()
    toolkit = load(project)
    assert toolkit.edition("es").resources[CHECKLIST_ID].title == toolkit.resources[CHECKLIST_ID].title
    assert any(str(w).startswith(f"{CHECKLIST}:") and TRANSLATION in w.message for w in toolkit.warnings)


def test_edited_english_makes_its_translation_stale(project):
    edit(project, CHECKLIST, "Pack a notebook and a pen.", "Pack a notebook and two pens.")
    check = macros_command(project, "check")
    assert check.returncode == 0, check.stderr
    stale = [line for line in check.stderr.splitlines() if line.startswith("warning:") and "stale" in line]
    assert len(stale) == 1 and stale[0].startswith(f"warning: {TRANSLATION}:") and "texts.phases.before.items.pack-supplies.text" in stale[0]
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    def notices(rid):
        return lxml.html.parse(str(project / "site/es" / urls.resource_page(rid) / "index.html")).getroot().cssselect(".tk-stale")
    assert len(notices(CHECKLIST_ID)) == 1
    assert notices("site-visit-host-tip-sheet") == []
    # the Spanish PDF says so too: printed, it may be read long after

    def pdf_text(rid):
        return norm(" ".join(p.extract_text() for p in pypdf.PdfReader(project / "site/es" / urls.resource_pdf(rid)).pages))
    from macros import i18n

    heading = i18n.UI["es"]["stale_heading"]
    assert heading and heading in pdf_text(CHECKLIST_ID)
    assert heading not in pdf_text("site-visit-host-tip-sheet")
    # a stale summary alone (not printed: it is the PDF's description) puts no note on paper
    edit(project, CHECKLIST, "Pack a notebook and two pens.", "Pack a notebook and a pen.")
    edit(project, CHECKLIST, 'summary: "', 'summary: "Now: ')
    assert run_build(project, "build", "--jobs", "2").returncode == 0
    assert len(notices(CHECKLIST_ID)) == 1   # the page shows the summary, and says so
    assert heading not in pdf_text(CHECKLIST_ID)


def test_translation_keys_follow_ids_not_positions(project):
    """The translations command keys each text by the ids on its path, not by position."""
    edit(project, CHECKLIST, "      - id: pick-a-question\n", "      - id: first-new\n        text: \"A new first step.\"\n      - id: pick-a-question\n")
    proc = macros_command(project, "translations")
    assert proc.returncode == 0, proc.stderr
    texts = yaml.safe_load((project / TRANSLATION).read_text(encoding="utf-8"))["texts"]
    assert texts["phases.before.items.pick-a-question.text"]["es"] == "ES Write one question for the host."  # kept
    assert texts["phases.before.items.first-new.text"] == {"en": "A new first step.", "es": ""}
    assert "title" in texts and "summary" in texts
    assert not any(k.endswith(".id") or k.startswith("audiences") or k == "kind" for k in texts)


def test_fixture_translations_are_complete_and_current(project):
    """The base fixture is a finished translation: no warnings. (The shipped translations may
    lag behind the English; that is reported, never a test failure.)"""
    assert load(project).warnings == []


def test_glossary_term_not_used_is_a_warning(project):
    edit(project, CHECKLIST, '"Pack a notebook and a pen."', '"Ask about an apprenticeship."')
    edit(project, TRANSLATION, '"ES Pack a notebook and a pen."', '"Pregunta por una práctica."')
    edit(project, TRANSLATION, 'en: "Pack a notebook and a pen."', 'en: "Ask about an apprenticeship."')
    warnings = [str(w) for w in load(project).warnings]
    assert len(warnings) == 1 and "glossary: the English says 'apprenticeship'; the translation should use 'aprendizaje'" in warnings[0]


def test_the_interface_speaks_to_students_informally_and_to_adults_formally(tmp_path):
    """In a language with two ways to say *you* (Spanish *tú* and *usted*), the interface words
    of a page and a PDF that speak to an audience with ``address: informal`` (students), and of
    the pages for everyone, are the informal ones, as the content's are; a page or PDF for
    adults alone speaks formally."""
    from macros import i18n, render

    project = make_project(tmp_path / "project")
    toolkit = load(project)
    es = toolkit.edition("es")
    renderer = render.Renderer(es, "https://example.org/")
    formal, friendly = i18n.ui("es"), i18n.ui("es", informal=True)
    by_audience = {tuple(r.audiences): rid for rid, r in es.resources.items() if getattr(r, "parts", None)}
    student = next(rid for audiences, rid in by_audience.items() if informal(es.site, audiences))
    adults = next(rid for audiences, rid in by_audience.items() if not informal(es.site, audiences))
    for key in ("answers_note", "download_note_form"):
        assert formal[key] != friendly[key]
        assert str(escape(friendly[key])) in renderer.resource_page(student)
        assert str(escape(formal[key])) not in renderer.resource_page(student)
        assert str(escape(formal[key])) in renderer.resource_page(adults)
        assert str(escape(friendly[key])) not in renderer.resource_page(adults)
    # what a screen reader says for a rating's fields in the Spanish PDF the build makes
    from build_pdfs import _jobs_for
    from macros.plan import make_plan

    rated = next(rid for rid, r in es.resources.items()
                 if any(p.rating for p in getattr(r, "parts", [])) and informal(es.site, r.audiences))
    job = next(j for j in _jobs_for(make_plan(toolkit), [rated]) if j.key_parts[0] == "es")
    assert job.descriptions == render.form_field_descriptions(es.resources[rated], lang="es", informal=True)
    assert job.descriptions != render.form_field_descriptions(es.resources[rated], lang="es")
    home = renderer.home_page()
    assert str(escape(friendly["resources_for_you"])) in home and str(escape(formal["resources_for_you"])) not in home
    assert informal(es.site, ["student"]) and informal(es.site, ["employer", "student"]) and informal(es.site)
    assert not informal(es.site, ["employer"]) and not informal(es.site, ["teacher", "employer"])


def test_heading_links_are_titled_in_the_page_language(site):
    """The tooltip of each heading's permalink (what a screen reader says for it) is in the
    edition's language."""
    from macros import i18n

    for lang, prefix in (("en", ""), ("es", "es/")):
        page = next(p for p in sorted((site / prefix / "resources").glob("*/index.html")))
        titles = {a.get("title") for a in lxml.html.parse(str(page)).getroot().cssselect("a.headerlink")}
        assert titles == {i18n.UI[lang]["permalink_title"]}, (lang, titles)


def test_the_themes_own_words_speak_as_the_site_does(fixture_site, tmp_path):
    """The site generator's theme has words of its own that address the reader (Material's
    Spanish search box says *usted*). Pages for everyone speak informally when an audience is
    spoken to informally (the fixture's students), so those words are replaced; with no
    informal audience the theme's own stay."""
    from macros import i18n
    from macros.adapters import source
    from macros.plan import make_plan

    page = lxml.html.parse(str(fixture_site / "site" / "es" / "index.html")).getroot()
    words = json.loads(page.get_element_by_id("__config").text)["translations"]
    ours = i18n.theme_words("es", informal=True)
    assert ours and all(words[key] == value for key, value in ours.items() if key in words)
    assert any(key in words for key in ours)
    # the same site with every audience spoken to formally: the theme's words, none of ours
    project = make_project(tmp_path / "project")
    edit(project, "content/site.yml", "address: informal", "address: formal")
    plan = make_plan(load(project))
    es = next(e for e in plan.editions if e.language == "es")
    cfg = source.config(project, es, plan.editions, tmp_path / "docs", tmp_path / "site")
    assert cfg["extra"]["toolkit_theme_words"] == i18n.theme_words("es", informal=False)
    assert not set(cfg["extra"]["toolkit_theme_words"].items()) & set(ours.items())

"""The agreement, log and plan kinds, repeated field groups and blank rating rows, on the small
fixture project ``tests/fixtures/continuum-kinds`` (its own words, not the shipped content):
form fields and their spoken descriptions (/TU), a log that stays on one page, signature
blocks that never split across pages, table tags with header scopes in the PDF, and real table
markup on the web."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import lxml.html
import pikepdf
import pytest

from conftest import ROOT
from macros import i18n, pdf, readability, render
from macros import model as m
from macros.loader import ContentError, load_toolkit
from macros.pdf_check import check_pdf

FIXTURE = ROOT / "tests" / "fixtures" / "continuum-kinds"
URL = "https://fixture.example.org/"


@pytest.fixture(scope="module")
def kit():
    return load_toolkit(FIXTURE, translations=False)


@pytest.fixture(scope="module")
def pdfs(kit, tmp_path_factory):
    """resource id -> (path of its PDF, page count), rendered as the build renders them."""
    out = tmp_path_factory.mktemp("kinds")
    made = {}
    for rid, r in kit.resources.items():
        data, pages = pdf.html_to_pdf(pdf.print_html(render.Renderer(kit, URL), rid), render.form_field_descriptions(r))
        path = out / f"{rid}.pdf"
        path.write_bytes(data)
        made[rid] = (path, pages)
    return made


def _fields(path: Path) -> dict[str, str]:
    with pikepdf.open(path) as doc:
        return {str(f.T): str(f.get("/TU", "")) for f in doc.Root.AcroForm.Fields}


def _page_texts(path: Path, pages: int) -> list[str]:
    """The words of each page, whitespace collapsed (a label may wrap over two lines)."""
    return [
        " ".join(subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
        for n in range(1, pages + 1)
    ]


# -- fields and what a screen reader says ------------------------------------------------------


@pytest.mark.parametrize("rid", ["fx-agreement", "fx-log", "fx-plan", "fx-passport", "fx-review"])
def test_every_field_is_in_the_pdf_with_its_spoken_description(kit, pdfs, rid):
    expected = render.form_field_descriptions(kit.resources[rid])
    got = _fields(pdfs[rid][0])
    assert set(got) == set(expected)
    for name, tu in got.items():
        assert tu == expected[name] != name


def test_log_cells_are_named_by_row_and_column(kit, pdfs):
    log = kit.resources["fx-log"]
    table = next(p.table for p in log.parts if p.table)
    got = _fields(pdfs["fx-log"][0])
    cells = {n: tu for n, tu in got.items() if "-r" in n}
    assert len(cells) == table.blank_rows * len(table.columns)
    assert got["hours-r3-total"] == "Line 3, Total"
    assert got["hours-r12-work"] == "Line 12, Work done"


def test_plan_rows_written_in_advance_are_text_and_the_rest_are_fields(kit, pdfs):
    got = _fields(pdfs["fx-plan"][0])
    assert "goals-r1-goal" not in got and "goals-r3-goal" not in got      # written in the YAML
    assert got["goals-r2-goal"] == "Goal 2, What to learn"               # a blank row in its place
    assert got["goals-r4-goal"] == "Goal 4, What to learn"
    assert got["goals-r1-due"] == "Goal 1, Due by"
    with pikepdf.open(pdfs["fx-plan"][0]) as doc:
        kinds = {str(f.T): f for f in doc.Root.AcroForm.Fields}
        state = kinds["goals-r4-state"]
        assert str(state.FT) == "/Btn" and int(state.Ff) & (1 << 15)      # a radio group per cell
        assert [str(o) for o in state.Opt] == ["Not yet", "Getting there", "Done"]
    text = "".join(_page_texts(pdfs["fx-plan"][0], pdfs["fx-plan"][1]))
    assert "Greet visitors kindly." in text


def test_signature_fields_say_whose_signature_they_are(pdfs):
    got = _fields(pdfs["fx-agreement"][0])
    for who, pid in (("learner", "learner-party"), ("guardian", "guardian"), ("host", "host"), ("school", "school")):
        assert got[f"{pid}-sign"] == f"Signature of the {who}"
        assert got[f"{pid}-name"] == f"Printed name of the {who}"
    with pikepdf.open(pdfs["fx-agreement"][0]) as doc:
        sign = next(f for f in doc.Root.AcroForm.Fields if str(f.T) == "guardian-sign")
        assert str(sign.FT) == "/Tx"                                       # on screen: a text box


def test_repeated_group_and_blank_rating_rows_name_their_copy(pdfs):
    got = _fields(pdfs["fx-passport"][0])
    assert got["speaker-2"] == "Stop 2, Speaker" and got["level-3"] == "Stop 3, Schooling"
    assert "speaker" not in got
    review = _fields(pdfs["fx-review"][0])
    assert review["group-two-blank2"] == "Skill from the goals grid 2"
    assert review["group-two-blank1-rating"].startswith("Skill from the goals grid 1 (rate 1, 2 or N/A")


def test_a_rating_field_says_how_to_answer_in_its_edition_s_language(kit):
    """What a screen reader adds to a rating field ("(rate 1, 2 or N/A)") is an interface
    text: in the Spanish PDF it is Spanish, built around the translated "not applicable"."""
    review = kit.resources["fx-review"]
    texts = {s.key: {"en": s.text, "es": "ES " + s.text} for s in i18n.slots(review)}
    translated, _ = i18n.translate(review, texts, "es")
    for lang, resource in (("en", review), ("es", translated)):
        rating = next(p.rating for p in resource.parts if p.rating)
        scale = ", ".join(point.value for point in rating.scale)
        how = i18n.UI[lang]["rating_how_or"].format(scale=scale, other=rating.not_applicable)
        described = render.form_field_descriptions(resource, lang=lang)
        assert described[rating.items[0].id] == f"{render.plain_text(rating.items[0].text)} {how}"
    assert i18n.UI["es"]["rating_how_or"] != i18n.UI["en"]["rating_how_or"]


# -- layout: one-page log, whole signature blocks ----------------------------------------------


def test_the_log_prints_on_exactly_one_page(pdfs):
    assert pdfs["fx-log"][1] == 1


def test_too_many_log_rows_exceed_the_page_budget(kit, tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "resources" / "fx-log.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("blank_rows: 12", "blank_rows: 40"), encoding="utf-8")
    big = load_toolkit(root, translations=False)
    _, pages = pdf.html_to_pdf(pdf.print_html(render.Renderer(big, URL), "fx-log"))
    assert pages > 1
    with pytest.raises(pdf.PageBudgetExceeded, match="max_pages"):
        pdf.check_page_budget(big, "fx-log", pages)


def test_long_labels_and_options_break_inside_the_page(tmp_path):
    """A field label, a table column label and a choice option written without spaces break
    inside their boxes; nothing grows past the page's right margin."""
    import shutil

    from helpers import text_past_right_margin

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "resources" / "fx-log.yml"
    label = "SupervisorInitialsAndApprovalStamp" * 3
    text = path.read_text(encoding="utf-8")
    for old, new in (('label: "Initials"', f'label: "{label}"'), ('label: "Learner name"', f'label: "{label}"'),
                     ('label: "Work done", width: 4', f'label: "Work done", width: 4, type: choice, options: ["{label}", "No"]')):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    doc = pdf.render_document(pdf.print_html(render.Renderer(load_toolkit(root, translations=False), URL), "fx-log"))
    assert not text_past_right_margin(doc)


def test_a_log_must_promise_one_page(tmp_path):
    import shutil

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "resources" / "fx-log.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("max_pages: 1", "max_pages: 2"), encoding="utf-8")
    with pytest.raises(ContentError, match="fx-log.yml.*one page"):
        load_toolkit(root, translations=False)


def _blocks_by_page(kit, path: Path, pages: int) -> tuple[bool, bool]:
    """(every signature block is on one page, some block was moved whole to a later page than
    its party's duties)."""
    texts = _page_texts(path, pages)
    moved = False
    for party in kit.resources["fx-agreement"].parties:
        where = {f.label: [n for n, t in enumerate(texts) if f.label in t] for f in party.signature}
        assert all(len(found) == 1 for found in where.values()), where
        pages_of_block = {n for found in where.values() for n in found}
        if len(pages_of_block) != 1:
            return False, moved
        first_duty = [n for n, t in enumerate(texts) if party.duties[0] in t and party.title in t]
        moved = moved or (bool(first_duty) and first_duty[0] < min(pages_of_block))
    return True, moved


def test_each_signature_block_is_whole_on_one_page(tmp_path):
    """Terms of growing length push the blocks down the pages until one falls at a page end:
    every block must then move whole to the next page, never split."""
    import shutil

    root = tmp_path / "p"
    shutil.copytree(FIXTURE, root)
    path = root / "content" / "resources" / "fx-agreement.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    terms = [i for i, line in enumerate(lines) if line.startswith('    - "Term number')]
    moved_somewhere = False
    for keep in range(len(terms), 3, -1):
        drop = set(terms[keep:])
        path.write_text("".join(line for i, line in enumerate(lines) if i not in drop), encoding="utf-8")
        kit = load_toolkit(root, translations=False)
        data, pages = pdf.html_to_pdf(pdf.print_html(render.Renderer(kit, URL), "fx-agreement"))
        out = tmp_path / f"a{keep}.pdf"
        out.write_bytes(data)
        whole, moved = _blocks_by_page(kit, out, pages)
        assert whole, f"with {keep} terms a signature block is split over two pages"
        moved_somewhere = moved_somewhere or moved
        if moved_somewhere:
            break
    assert moved_somewhere, "no block ever fell at a page end: lengthen the fixture's terms"


# -- tables: tagged in the PDF, real tables on the web -----------------------------------------


def _struct(path: Path):
    with pikepdf.open(path) as doc:
        stack = [(doc.Root.StructTreeRoot.K, "")]
        out = []
        while stack:
            node, section = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend((k, section) for k in reversed(list(node)))
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                tag = str(node.S)
                attrs = node.get("/A")
                items = list(attrs) if isinstance(attrs, pikepdf.Array) else ([attrs] if attrs is not None else [])
                scope = next((str(a.Scope) for a in items if isinstance(a, pikepdf.Dictionary) and "/Scope" in a), None)
                out.append((tag, section, scope))
                if "/K" in node:
                    stack.append((node.K, tag if tag in ("/THead", "/TBody") else section))
        return out


@pytest.mark.parametrize("rid", ["fx-log", "fx-plan", "fx-review"])
def test_tables_are_tagged_with_header_scopes(pdfs, rid):
    elems = _struct(pdfs[rid][0])
    assert "/Table" in [t for t, _, _ in elems]
    heads = [(section, scope) for tag, section, scope in elems if tag == "/TH"]
    assert heads and all(scope for _, scope in heads)
    assert {scope for section, scope in heads if section == "/THead"} == {"/Column"}
    assert {scope for section, scope in heads if section == "/TBody"} == {"/Row"}


def test_the_checker_refuses_a_header_cell_without_scope(pdfs, tmp_path):
    with pikepdf.open(pdfs["fx-log"][0]) as doc:
        stack = [doc.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if str(node.S) == "/TH":
                    del node["/A"]
                    break
                if "/K" in node:
                    stack.append(node.K)
        out = io.BytesIO()
        doc.save(out)
    assert check_pdf(pdfs["fx-log"][0]) == []
    assert any("/TH" in p and "/Scope" in p for p in check_pdf(io.BytesIO(out.getvalue())))


def test_web_log_and_plan_are_real_tables_with_header_scopes(kit):
    renderer = render.Renderer(kit, URL)
    for rid in ("fx-log", "fx-plan"):
        r = kit.resources[rid]
        table = next(p.table for p in r.parts if p.table)
        page = lxml.html.fromstring(renderer.resource_page(rid))
        grid = page.xpath("//table[contains(@class,'tk-grid')]")[0]
        assert len(grid.xpath("./thead/tr/th[@scope='col']")) == len(table.columns) + 1
        assert len(grid.xpath("./tbody/tr/th[@scope='row']")) == table.row_count()
        for cell in grid.xpath(".//td//input[@type='text']"):
            assert cell.get("aria-label").startswith(table.row_label + " ")
    log = lxml.html.fromstring(renderer.resource_page("fx-log"))
    assert log.xpath("//input[@name='hours-r3-total']/@aria-label") == ["Line 3, Total"]


def test_web_signature_is_a_labelled_text_box(kit):
    page = lxml.html.fromstring(render.Renderer(kit, URL).resource_page("fx-agreement"))
    box = page.xpath("//input[@name='host-sign']")[0]
    assert box.get("type") == "text"
    assert page.xpath(f"//label[@for='{box.get('id')}']")[0].text_content() == "Signature of the host"
    assert page.xpath("//div[contains(@class,'tk-signature-block')]")


# -- the new texts are translatable and read ----------------------------------------------------


def test_new_texts_are_translation_slots_and_translate(kit):
    agreement, plan = kit.resources["fx-agreement"], kit.resources["fx-plan"]
    keys = {s.key for s in i18n.slots(agreement)}
    assert {"terms.title", "terms.points.1", "parties.host.duties.2", "parties.host.signature.host-sign.label"} <= keys
    plan_keys = {s.key: s.text for s in i18n.slots(plan)}
    assert plan_keys["parts.goals.table.rows.goal-one.cells.1.text"] == "Greet visitors kindly."
    assert plan_keys["parts.goals.table.row_label"] == "Goal"
    assert "parts.goals.table.columns.state.options.2" in plan_keys
    texts = {k: {"en": v, "es": "ES " + v} for k, v in plan_keys.items()}
    translated, report = i18n.translate(plan, texts, "es")
    assert not report.missing and not report.stale
    assert render.form_field_descriptions(translated)["goals-r4-goal"] == "ES Goal 4, ES What to learn"


def test_readability_reads_terms_duties_and_written_rows(kit):
    sentences = " ".join(readability.resource_sentences(kit.resources["fx-agreement"]))
    assert "Come on time." in sentences and "Term number 3" in sentences
    assert "Greet visitors kindly." in readability.resource_sentences(kit.resources["fx-plan"])


def test_table_rows_must_name_known_columns():
    with pytest.raises(ValueError, match="not one of the columns"):
        m.Table(row_label="Row", columns=[{"id": "a", "label": "A"}], rows=[{"id": "x", "cells": [{"column": "b", "text": "Hi."}]}])


# -- the continuum as a picture -------------------------------------------------------------


def test_continuum_diagram_has_a_heading_per_stage_and_marks_toolkits_in_words(kit):
    renderer = render.Renderer(kit, URL)
    page = lxml.html.fromstring(renderer.continuum_page())
    stages = kit.site.continuum.stages
    cards = page.xpath("//ol[contains(@class,'tk-diagram')]/li")
    assert len(cards) == len(stages)
    for card, stage in zip(cards, stages):
        assert card.xpath("./h2/@id") == [stage.id]
        assert card.xpath("./h2")[0].text_content() == stage.title
        for entry in stage.activities:
            item = [li for li in card.xpath(".//li") if entry.title in li.text_content()][0]
            if entry.activity in kit.activities:
                assert item.xpath("./a/@href") and i18n.UI["en"]["toolkit_available"] in item.text_content()
            else:
                assert not item.xpath("./a")
    home = lxml.html.fromstring(renderer.home_page())
    assert len(home.xpath("//ol[contains(@class,'tk-diagram')]/li/h3")) == len(stages)
    assert not home.xpath("//ol[contains(@class,'tk-diagram')]//*[@id]")      # no duplicate anchors

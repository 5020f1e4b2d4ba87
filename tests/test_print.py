"""Print-ready PDFs: fillable fields with spoken descriptions, tags, metadata, bookmarks,
artifacts, the activity packet, determinism, the cache and layout rules."""
from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pikepdf
import pypdf
import pytest

from brief import ORDER
from conftest import ROOT, fill_translations
from helpers import norm
from macros import render, urls
from test_content_errors import CHECKLIST, edit

import build_pdfs

FORMS = ["informational-interview-research-activity", "informational-interview-student-reflection", "wbl-activity-evaluation"]
PACKET = urls.activity_packet("informational-interviews")


def _open(site, rid):
    return pikepdf.open(site / urls.resource_pdf(rid))


@pytest.mark.parametrize("rid", FORMS + ["informational-interview-student-checklist", "informational-interview-wbl-specialist-checklist"])
def test_fields_are_fillable_and_described_in_label_words(site, toolkit, rid):
    expected = render.form_field_descriptions(toolkit.resources[rid])
    with _open(site, rid) as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert set(fields) == set(expected)          # every field, each once (radio groups whole)
        for name, field in fields.items():
            assert str(field.TU) == expected[name] != name
            for kid in field.get("/Kids", []):
                assert str(kid.TU).startswith(expected[name])
                assert "/T" not in kid
        kinds = {str(f.get("/FT")) for f in fields.values()}
        if toolkit.resources[rid].kind == "checklist":
            assert kinds == {"/Btn"}
        else:
            assert "/Tx" in kinds


def test_rating_rows_are_radio_groups_with_the_scale_and_na(site):
    with _open(site, "wbl-activity-evaluation") as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        row = fields["objectives-clear"]
        assert int(row.Ff) & (1 << 15)                # radio flag
        assert [str(o) for o in row.Opt] == ["1", "2", "3", "4", "5", "N/A"]


@pytest.mark.parametrize("rid", ORDER)
def test_tagged_pdf_ua_with_language_title_and_metadata(site, toolkit, rid):
    r = toolkit.resources[rid]
    with _open(site, rid) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.MarkInfo.Marked)
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        info = pdf.docinfo
        assert str(info.Title) == r.title
        assert str(info.Author) == toolkit.site.district.name
        assert str(info.Subject) == render.plain_text(r.summary)
        assert "work-based learning" in str(info.Keywords)
        stamp = r.revised.strftime("D:%Y%m%d")
        assert str(info.CreationDate).startswith(stamp) and str(info.ModDate).startswith(stamp)
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfuaid:part="1"' in xmp
        for page in pdf.pages:
            assert page.obj.Tabs == "/S"


@pytest.mark.parametrize("rid", ORDER)
def test_bookmarks_follow_title_and_sections(site, toolkit, rid):
    r = toolkit.resources[rid]
    sections = [s.title for s in getattr(r, "phases", []) or getattr(r, "sections", []) or getattr(r, "parts", []) or getattr(r, "tips", [])]
    with _open(site, rid) as pdf, pdf.open_outline() as outline:
        top = list(outline.root)
        assert [t.title for t in top] == [r.title]
        assert [c.title for c in top[0].children] == sections


@pytest.mark.parametrize("rid", ["informational-interview-student-checklist", "wbl-activity-evaluation"])
def test_running_header_and_footer_are_artifacts(site, toolkit, rid):
    with _open(site, rid) as pdf:
        reachable, todo = set(), [pdf.Root.StructTreeRoot.K]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Array):
                todo.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in reachable:
                reachable.add(node.objgen)
                todo.append(node.get("/K"))
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page in pdf.pages:
            stack, artifact_text, tagged_text, mcids = [], [], [], []
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) in ("BDC", "BMC"):
                    stack.append(str(operands[0]))
                    if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                        mcids.append(int(operands[1].MCID))
                elif str(op) == "EMC" and stack:
                    stack.pop()
                elif str(op) in ("Tj", "TJ"):
                    (artifact_text if "/Artifact" in stack else tagged_text).append(op)
            assert len(artifact_text) >= 4, "header and footer text should be artifacts"
            assert tagged_text
            # every piece of tagged content belongs to an element of the document's structure
            owners = parents[int(page.obj.StructParents)]
            assert all(owners[m] is not None and owners[m].objgen in reachable for m in mcids)


def test_pdf_links_back_to_its_page_with_url_and_qr(site, toolkit):
    rid = "informational-interview-student-checklist"
    url = urls.absolute(urls.resource_page(rid), toolkit.site.site_url)
    with _open(site, rid) as pdf:
        links = [str(a.A.URI) for a in pdf.pages[0].Annots if a.get("/Subtype") == "/Link" and "/A" in a]
        assert url in links
        figures = []
        stack = [pdf.Root.StructTreeRoot.K]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Array):
                stack.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
                if node.S == "/Figure":
                    figures.append(str(node.get("/Alt", "")))
                stack.append(node.get("/K"))
        assert figures == [f"QR code linking to {url}"]
    text = norm(pypdf.PdfReader(site / urls.resource_pdf(rid)).pages[0].extract_text())
    assert url.split("://")[1].replace("/", "") in text.replace(" ", "").replace("/", "")


def test_filled_in_values_print(site, tmp_path):
    """Type into fields, let the viewer-side appearance generation run, flatten, read the text."""
    with _open(site, "wbl-activity-evaluation") as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        fields["school-name"].V = pikepdf.String("Escuela Benito Juárez")
        fields["what-worked"].V = pikepdf.String("Students asked sharp questions")
        pdf.generate_appearance_streams()
        pdf.flatten_annotations("print")
        pdf.save(tmp_path / "filled.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "filled.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Escuela Benito Juárez" in text
    assert "Students asked sharp questions" in text


def test_packet_has_cover_contents_every_resource_and_right_page_numbers(site, toolkit):
    reader = pypdf.PdfReader(site / PACKET)
    pages = [norm(p.extract_text()) for p in reader.pages]
    cover = pages[0]
    assert "Informational Interviews" in cover and "Contents" in cover
    starts = {}
    for rid in ORDER:
        title = toolkit.resources[rid].title
        match = re.search(re.escape(title) + r" ?\.+ ?(\d+)", cover)
        assert match, f"{title} missing from the contents"
        listed = int(match.group(1))
        assert listed > 1 and title in pages[listed - 1] and f"Page {listed} of {len(pages)}" in pages[listed - 1]
        starts[rid] = listed
    assert list(starts.values()) == sorted(starts.values())   # toolkit order
    with pikepdf.open(site / PACKET) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        page_index = {page.objgen: i for i, page in enumerate(pdf.pages, start=1)}
        for item in outline.root:
            rid = next((r for r in ORDER if toolkit.resources[r].title == item.title), None)
            if rid:   # the bookmark and the contents agree on where the resource starts
                assert page_index[item.destination[0].objgen] == starts[rid]
        for rid in ORDER:
            assert toolkit.resources[rid].title in titles
        by_title = {item.title: item for item in outline.root}
        checklist = toolkit.resources["informational-interview-student-checklist"]
        assert [c.title for c in by_title[checklist.title].children] == [p.title for p in checklist.phases]
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
        assert len(names) == len(set(names))                   # prefixed: no clashes between resources


def test_activity_page_links_the_packet(site):
    html = (site / urls.activity_page("informational-interviews") / "index.html").read_text(encoding="utf-8")
    assert 'href="informational-interviews-packet.pdf"' in html


def test_pdfs_are_identical_from_another_checkout_folder(site, project):
    result = build_pdfs.build(project, site_dir=project / "out", jobs=2, force=True, progress=False)
    assert result.ok, result.failed
    for rel in [urls.resource_pdf(rid) for rid in ORDER] + [PACKET]:
        assert (project / "out" / rel).read_bytes() == (site / rel).read_bytes(), rel


def test_cache_renders_nothing_when_unchanged_and_only_the_edit_after_one_edit(project, toolkit):
    if (ROOT / ".cache").exists():
        shutil.copytree(ROOT / ".cache", project / ".cache")
    first = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    assert first.ok
    second = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    assert second.rendered == [] and len(second.cached) == 2 * (len(toolkit.resources) + len(toolkit.activities))   # English and Spanish
    edit(project, CHECKLIST, "Pack a notebook, a pen and your list of questions.", "Pack a notebook, two pens and your questions.")
    third = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    # that resource and its packet, in both languages (the Spanish edition is made from the
    # English file too: ids, dates, page budget); nothing else
    assert third.rendered == ["packet:informational-interviews", "informational-interview-student-checklist",
                              "es:packet:informational-interviews", "es:informational-interview-student-checklist"]
    text = pypdf.PdfReader(project / "out" / urls.resource_pdf("informational-interview-student-checklist")).pages[0].extract_text()
    assert "two pens" in text


def test_case10_accents_typography_and_symbols_render_in_embedded_fonts(project):
    sample = "Guía rápida — señal ✅ 10/10 “¿Qué?” ¡Sí!"
    edit(project, CHECKLIST, '"Pack a notebook, a pen and your list of questions."', f'"{sample}"')
    result = build_pdfs.build(project, site_dir=project / "out", jobs=1, progress=False, only=["informational-interview-student-checklist"])
    assert result.ok, result.failed
    path = project / "out" / urls.resource_pdf("informational-interview-student-checklist")
    assert sample in norm(pypdf.PdfReader(path).pages[0].extract_text())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split("-")[0] for line in fonts.splitlines()[2:]}
    assert families == {"Atkinson", "Noto"}, fonts   # text (digits too) in the toolkit face, ✅ in Noto Emoji; no system fallback


def test_case11_long_checklist_flows_without_blank_pages_or_split_items(project):
    extra = "".join(
        f'\n      - id: extra-{i}\n        text: "Extra step {i}: a longer item that wraps onto a second line so that page breaks could fall inside it if the layout allowed that."'
        for i in range(80)
    )
    edit(project, CHECKLIST, "    items:\n      - id: pick-a-career", "    items:" + extra + "\n      - id: pick-a-career")
    edit(project, CHECKLIST, "max_pages: 1", "max_pages: 9")
    fill_translations(project)
    result = build_pdfs.build(project, site_dir=project / "out", jobs=1, progress=False, only=["informational-interview-student-checklist"])
    assert result.ok, result.failed
    reader = pypdf.PdfReader(project / "out" / urls.resource_pdf("informational-interview-student-checklist"))
    pages = [norm(p.extract_text()) for p in reader.pages]
    assert len(pages) >= 4
    for i in range(80):
        item = f"Extra step {i}: a longer item that wraps onto a second line so that page breaks could fall inside it if the layout allowed that."
        assert sum(item in text for text in pages) == 1, f"item {i} is split across pages"
    for text in pages:
        body = text.replace("Metro City Public Schools · Work-Based Learning Toolkit", "")
        assert "Extra step" in body or "Before the interview" in body or "After the interview" in body, "blank page"
    with pikepdf.open(project / "out" / urls.resource_pdf("informational-interview-student-checklist")) as pdf:
        assert len(pdf.Root.AcroForm.Fields) == 18 + 80


def test_long_rating_table_repeats_its_header_on_every_page(project):
    rows = "".join(f'\n        - id: "extra-statement-{i}"\n          text: "Extra statement number {i} about the activity."' for i in range(60))
    edit(project, "content/resources/wbl-activity-evaluation.yml", '        - id: "objectives-clear"', rows.lstrip("\n") + '\n        - id: "objectives-clear"')
    edit(project, "content/resources/wbl-activity-evaluation.yml", "max_pages: 2", "max_pages: 6")
    fill_translations(project)
    result = build_pdfs.build(project, site_dir=project / "out", jobs=1, progress=False, only=["wbl-activity-evaluation"])
    assert result.ok, result.failed
    pages = [norm(p.extract_text()) for p in pypdf.PdfReader(project / "out" / urls.resource_pdf("wbl-activity-evaluation")).pages]
    with_rows = [text for text in pages if "Extra statement number" in text]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert "Statement 1 Strongly disagree" in text   # the header row, repeated
    for i in range(60):
        assert sum(f"Extra statement number {i} about" in text for text in pages) == 1

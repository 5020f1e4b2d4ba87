"""Print-ready PDFs: fillable fields with spoken descriptions, tags, metadata, bookmarks,
artifacts, the activity packet, determinism, the cache and layout rules. On the shipped site
every expectation is derived from the content; specifics and edits use fixture projects."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pikepdf
import pypdf
import pytest

from helpers import build_pdfs_module, edit, form_field_descriptions, load, m, norm, plain_text, sections_of, text_past_right_margin, urls
from test_content_errors import CHECKLIST, CHECKLIST_ID, PACK

EVALUATION = "content/resources/activity-evaluation.yml"


def _open(site, rid):
    return pikepdf.open(site / urls.resource_pdf(rid))


def test_fields_are_fillable_and_described_in_label_words(site, toolkit):
    for rid, r in toolkit.resources.items():
        expected = form_field_descriptions(r)
        with _open(site, rid) as pdf:
            fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields} if "/AcroForm" in pdf.Root else {}
            assert set(fields) == set(expected), rid          # every field, each once (radio groups whole)
            for name, field in fields.items():
                assert str(field.TU) == expected[name] != name
                for kid in field.get("/Kids", []):
                    assert str(kid.TU).startswith(expected[name])
                    assert "/T" not in kid
            if isinstance(r, m.Checklist):
                assert {str(f.get("/FT")) for f in fields.values()} == {"/Btn"}, rid


def test_fixture_fields_have_the_right_kinds_and_words(fixture_site):
    site = fixture_site / "site"
    with _open(site, "site-visit-research-worksheet") as pdf:
        fields = {str(f.T): (str(f.FT), str(f.TU)) for f in pdf.Root.AcroForm.Fields}
    assert fields == {"student-name": ("/Tx", "Your name"), "research-date": ("/Tx", "Date"),
                      "host-name": ("/Tx", "Host name"), "host-work": ("/Tx", "What the host does")}
    with _open(site, "site-visit-student-reflection") as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        assert str(fields["visit-format"].FT) == "/Btn" and int(fields["visit-format"].Ff) & (1 << 15)
    with _open(site, CHECKLIST_ID) as pdf:
        assert len(pdf.Root.AcroForm.Fields) == 5 and {str(f.FT) for f in pdf.Root.AcroForm.Fields} == {"/Btn"}


def test_rating_rows_are_radio_groups_with_the_scale_and_na(fixture_site):
    with _open(fixture_site / "site", "activity-evaluation") as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        row = fields["objectives-clear"]
        assert int(row.Ff) & (1 << 15)                # radio flag
        assert [str(o) for o in row.Opt] == ["1", "2", "3", "4", "5", "N/A"]


def test_tagged_pdf_ua_with_language_title_and_metadata(site, toolkit):
    for rid, r in toolkit.resources.items():
        with _open(site, rid) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert bool(pdf.Root.MarkInfo.Marked)
            assert str(pdf.Root.Lang) == "en"
            assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
            info = pdf.docinfo
            assert str(info.Title) == r.title
            assert str(info.Author) == toolkit.site.district.name
            assert str(info.Subject) == plain_text(r.summary)
            assert "work-based learning" in str(info.Keywords)
            stamp = r.revised.strftime("D:%Y%m%d")
            assert str(info.CreationDate).startswith(stamp) and str(info.ModDate).startswith(stamp)
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert 'pdfuaid:part="1"' in xmp
            for page in pdf.pages:
                assert page.obj.Tabs == "/S"


def test_bookmarks_follow_title_and_sections(site, toolkit):
    for rid, r in toolkit.resources.items():
        with _open(site, rid) as pdf, pdf.open_outline() as outline:
            top = list(outline.root)
            assert [t.title for t in top] == [r.title], rid
            assert [c.title for c in top[0].children] == sections_of(r), rid


@pytest.mark.parametrize("rid", [CHECKLIST_ID, "activity-evaluation"])
def test_running_header_and_footer_are_artifacts(fixture_site, rid):
    with _open(fixture_site / "site", rid) as pdf:
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
            # each says which page edges it belongs to (a packet replaces the bottom-right one,
            # the page number: tests/test_packets.py checks what that leaves)
            edges = {tuple(str(e) for e in operands[1].Attached) for operands, _ in pikepdf.parse_content_stream(page, "BDC")
                     if operands[0] == pikepdf.Name.Artifact and isinstance(operands[1], pikepdf.Dictionary) and "/Attached" in operands[1]}
            assert edges == {("/Top", "/Left"), ("/Top", "/Right"), ("/Bottom", "/Left"), ("/Bottom", "/Right")}
            # every piece of tagged content belongs to an element of the document's structure
            owners = parents[int(page.obj.StructParents)]
            assert all(owners[m] is not None and owners[m].objgen in reachable for m in mcids)


@pytest.mark.parametrize("path", ["content bytes", "parsed operators"])
def test_each_running_header_and_footer_line_says_its_page_edges(path, monkeypatch):
    """Post-processing attaches every line of every margin box to the page edges of its box
    (a packet replaces the bottom-right one, the page number), reading the content bytes or,
    where they are not laid out as WeasyPrint writes them, the parsed operators."""
    from helpers import MARGIN_BOXES, margin_boxes_pdf, pagination_text
    from macros import pdf_post

    raw = margin_boxes_pdf()
    if path == "parsed operators":
        monkeypatch.setattr(pdf_post, "_mark_fast", lambda *args: False)
    pages = pagination_text(pdf_post.finish(raw, {}))
    assert len(pages) == 2
    for number, found in enumerate(pages, start=1):
        assert None not in found
        assert {k: " ".join(t for t, _ in v) for k, v in found.items() if k != ("/Bottom", "/Right")} == MARGIN_BOXES
        assert [t for t, _ in found[("/Bottom", "/Right")]] == [f"Página {number} de 2", "Revisado el 30 de septiembre de 2026"]
        assert min(x for _, x in found[("/Top", "/Right")]) < 612 / 2   # the wrapped case is covered


def test_pdf_links_back_to_its_page_with_url_and_qr(fixture_site):
    site, rid = fixture_site / "site", CHECKLIST_ID
    url = "https://wbl.fixture.example.org/" + urls.resource_page(rid)
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


def test_filled_in_values_print(fixture_site, tmp_path):
    """Type into fields, let the viewer-side appearance generation run, flatten, read the text."""
    with _open(fixture_site / "site", "activity-evaluation") as pdf:
        fields = {str(f.T): f for f in pdf.Root.AcroForm.Fields}
        fields["school-name"].V = pikepdf.String("Escuela Benito Juárez")
        fields["what-worked"].V = pikepdf.String("Students asked sharp questions")
        pdf.generate_appearance_streams()
        pdf.flatten_annotations("print")
        pdf.save(tmp_path / "filled.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "filled.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Escuela Benito Juárez" in text
    assert "Students asked sharp questions" in text


def _check_packet(site, toolkit, aid):
    """The packet of activity ``aid``: a cover with the title and contents listing each of its
    resources at the page where it starts (in toolkit order), bookmarks that agree, and form
    fields that do not clash."""
    activity = toolkit.activities[aid]
    reader = pypdf.PdfReader(site / urls.activity_packet(aid))
    pages = [norm(p.extract_text()) for p in reader.pages]
    cover = pages[0]
    assert norm(activity.title) in cover and "Contents" in cover
    starts = {}
    for rid in activity.resource_ids:
        title = norm(toolkit.resources[rid].title)
        match = re.search(re.escape(title) + r"[ .]*(\d+)", cover)   # title, leader, page number
        assert match, f"{title} missing from the contents"
        listed = int(match.group(1))
        assert listed > 1 and title in pages[listed - 1] and f"Page {listed} of {len(pages)}" in pages[listed - 1]
        starts[rid] = listed
    assert list(starts.values()) == sorted(starts.values())   # toolkit order
    with pikepdf.open(site / urls.activity_packet(aid)) as pdf, pdf.open_outline() as outline:
        page_index = {page.objgen: i for i, page in enumerate(pdf.pages, start=1)}
        by_title = {item.title: item for item in outline.root}
        for rid in activity.resource_ids:
            r = toolkit.resources[rid]
            assert page_index[by_title[r.title].destination[0].objgen] == starts[rid]
            assert [c.title for c in by_title[r.title].children] == sections_of(r)
        names = [str(f.T) for f in pdf.Root.AcroForm.Fields]
        assert len(names) == len(set(names))                   # prefixed: no clashes between resources


def test_packets_have_cover_contents_every_resource_and_right_page_numbers(site, toolkit):
    for aid in toolkit.activities:
        _check_packet(site, toolkit, aid)


def test_fixture_packet(fixture_site):
    _check_packet(fixture_site / "site", load(fixture_site), "site-visits")
    cover = norm(pypdf.PdfReader(fixture_site / "site" / urls.activity_packet("site-visits")).pages[0].extract_text())
    assert "Site Visits" in cover and "Student Site Visit Checklist" in cover and "Activity Evaluation" in cover


def test_activity_pages_link_their_packets(site, toolkit):
    for aid in toolkit.activities:
        html = (site / urls.activity_page(aid) / "index.html").read_text(encoding="utf-8")
        assert f'href="{urls.activity_packet(aid).rsplit("/", 1)[1]}"' in html


def _pdf_files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")}


def test_pdfs_are_identical_from_another_checkout_folder(fixture_site, project):
    """build_pdfs.py in another copy of the same project gives the same bytes, both languages."""
    proc = subprocess.run([sys.executable, "build_pdfs.py", "--site-dir", "out", "--force", "-q", "--jobs", "2"],
                          cwd=project, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    ours, theirs = _pdf_files(project / "out"), _pdf_files(fixture_site / "site")
    assert ours and ours.keys() == theirs.keys()
    assert [rel for rel in ours if ours[rel] != theirs[rel]] == []


def test_the_pdf_command_ends_cleanly_and_leaves_no_temporary_files(project, tmp_path):
    """The PDF workers' server (which keeps WeasyPrint warm, fonts loaded) exits without an
    error message and removes the temporary font folder WeasyPrint made for it."""
    rid = next(iter(load(project).resources))
    temp = tmp_path / "tmp"
    temp.mkdir()
    proc = subprocess.run([sys.executable, "build_pdfs.py", "--site-dir", "out", "--force", "-q", "--jobs", "2", "--only", rid],
                          cwd=project, capture_output=True, text=True, env=dict(os.environ, TMPDIR=str(temp)))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr, proc.stderr
    assert sorted(p.name for p in temp.iterdir()) == []


def test_cache_renders_nothing_when_unchanged_and_only_the_edit_after_one_edit(project):
    build_pdfs = build_pdfs_module()
    toolkit = load(project)
    first = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    assert first.ok
    second = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    assert second.rendered == [] and len(second.cached) == 2 * (len(toolkit.resources) + len(toolkit.activities))  # English and Spanish
    edit(project, CHECKLIST, "Pack a notebook and a pen.", "Pack a notebook and two pens.")
    third = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False)
    # that resource and its packet, in both languages (the Spanish edition is made from the
    # English file too: ids, dates, page budget); nothing else
    assert third.rendered == ["packet:site-visits", CHECKLIST_ID, "es:packet:site-visits", f"es:{CHECKLIST_ID}"]
    text = pypdf.PdfReader(project / "out" / urls.resource_pdf(CHECKLIST_ID)).pages[0].extract_text()
    assert "two pens" in text


def test_cache_keeps_each_pdf_s_own_versions_apart(tmp_path):
    """Replacing the cached PDF of ``foo`` removes foo's older versions only: not those of a
    PDF whose name starts the same (``foo-bar``) or of another language's ``foo``."""
    build_pdfs = build_pdfs_module()
    key = "0123456789abcdef" * 2
    names = ["foo-" + key, "foo-" + "f" * 32, "foo-bar-" + key, "es--foo-" + key, "foo-notes.pdf"]
    for name in names:
        (tmp_path / (name if name.endswith(".pdf") else name + ".pdf")).write_bytes(b"%PDF")
    found = sorted(p.name for p in build_pdfs._cached_versions(tmp_path, "foo"))
    assert found == sorted(["foo-" + key + ".pdf", "foo-" + "f" * 32 + ".pdf"])
    assert [p.name for p in build_pdfs._cached_versions(tmp_path, "es:foo")] == ["es--foo-" + key + ".pdf"]


def test_a_build_leaves_nothing_of_its_own_in_the_cache(project):
    """The PDFs a build holds while it runs (links to cache files) are gone when it ends, as
    are those a killed build left a day ago (not a running build's); every published PDF is
    the cache's file, byte for byte."""
    import os
    import time

    build_pdfs = build_pdfs_module()
    cache = project / ".cache" / "pdf"
    abandoned, running = cache / ".held-killed", cache / ".held-running"
    for folder in (abandoned, running):
        folder.mkdir(parents=True)
        (folder / "x.pdf").write_bytes(b"%PDF")
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(abandoned, (two_days_ago, two_days_ago))
    result = build_pdfs.build(project, site_dir=project / "out", jobs=2, progress=False, only=[CHECKLIST_ID])
    assert result.ok, result.failed
    assert [p.name for p in cache.iterdir() if p.name.startswith(".")] == [running.name]
    published = (project / "out" / urls.resource_pdf(CHECKLIST_ID)).read_bytes()
    assert published in [p.read_bytes() for p in build_pdfs._cached_versions(cache, CHECKLIST_ID)]


def test_case10_accents_typography_and_symbols_render_in_embedded_fonts(project):
    sample = "Guía rápida — señal ✅ 10/10 “¿Qué?” ¡Sí!"
    edit(project, CHECKLIST, PACK, f'"{sample}"')
    result = build_pdfs_module().build(project, site_dir=project / "out", jobs=1, progress=False, only=[CHECKLIST_ID])
    assert result.ok, result.failed
    path = project / "out" / urls.resource_pdf(CHECKLIST_ID)
    assert sample in norm(pypdf.PdfReader(path).pages[0].extract_text())
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    families = {re.sub(r"^[A-Z]{6}\+", "", line.split()[0]).split("-")[0] for line in fonts.splitlines()[2:]}
    assert families == {"Atkinson", "Noto"}, fonts   # text (digits too) in the toolkit face, ✅ in Noto Emoji; no system fallback


def test_case11_long_checklist_flows_without_blank_pages_or_split_items(project):
    from conftest import fill_translations

    extra = "".join(
        f'\n      - id: extra-{i}\n        text: "Extra step {i}: a longer item that wraps onto a second line so that page breaks could fall inside it if the layout allowed that."'
        for i in range(80)
    )
    edit(project, CHECKLIST, "    items:\n      - id: pick-a-question", "    items:" + extra + "\n      - id: pick-a-question")
    edit(project, CHECKLIST, "max_pages: 1", "max_pages: 9")
    fill_translations(project)
    result = build_pdfs_module().build(project, site_dir=project / "out", jobs=1, progress=False, only=[CHECKLIST_ID])
    assert result.ok, result.failed
    reader = pypdf.PdfReader(project / "out" / urls.resource_pdf(CHECKLIST_ID))
    pages = [norm(p.extract_text()) for p in reader.pages]
    assert len(pages) >= 4
    for i in range(80):
        item = f"Extra step {i}: a longer item that wraps onto a second line so that page breaks could fall inside it if the layout allowed that."
        assert sum(item in text for text in pages) == 1, f"item {i} is split across pages"
    for text in pages:
        body = text.replace("Riverside Test District · Fixture WBL Toolkit", "")
        assert "Extra step" in body or "Before the visit" in body or "After the visit" in body, "blank page"
    with pikepdf.open(project / "out" / urls.resource_pdf(CHECKLIST_ID)) as pdf:
        assert len(pdf.Root.AcroForm.Fields) == 5 + 80


def test_long_rating_table_repeats_its_header_on_every_page(project):
    from conftest import fill_translations

    rows = "".join(f'\n        - id: "extra-statement-{i}"\n          text: "Extra statement number {i} about the activity."' for i in range(60))
    edit(project, EVALUATION, "        - id: objectives-clear", rows.lstrip("\n") + "\n        - id: objectives-clear")
    edit(project, EVALUATION, "max_pages: 1", "max_pages: 6")
    fill_translations(project)
    result = build_pdfs_module().build(project, site_dir=project / "out", jobs=1, progress=False, only=["activity-evaluation"])
    assert result.ok, result.failed
    pages = [norm(p.extract_text()) for p in pypdf.PdfReader(project / "out" / urls.resource_pdf("activity-evaluation")).pages]
    with_rows = [text for text in pages if "Extra statement number" in text]
    assert len(with_rows) >= 2
    for text in with_rows:
        assert "Statement 1 Strongly disagree" in text   # the header row, repeated
    for i in range(60):
        assert sum(f"Extra statement number {i} about" in text for text in pages) == 1


def test_a_print_document_s_stylesheets_apply_in_their_order():
    """The print renderer parses each ``<style>`` once per process and hands them to WeasyPrint
    separately: a later one still wins over an earlier one, as in the browser."""
    from macros import pdf

    def colour_of_text(styles: str) -> tuple:
        html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title>{styles}'
                '</head><body><p>x</p></body></html>')
        boxes = list(pdf.render_document(html).pages[0]._page_box.descendants())
        return next(tuple(b.style["color"])[:3] for b in boxes if type(b).__name__ == "TextBox")

    assert colour_of_text("<style>p{color:#ff0000}</style><style>p{color:#0000ff}</style>") == (0, 0, 1)
    assert colour_of_text("<style>p{color:#0000ff}</style><style>p{color:#ff0000}</style>") == (1, 0, 0)


def test_a_long_unbroken_string_in_a_table_stays_inside_the_page(project):
    """A bare web address typed into a rating statement (no spaces to wrap at) is broken
    across lines where it must be; the table never grows past the page's right margin."""
    from macros import pdf, render

    address = "https://www.example.org/" + "AVeryLongPathWithoutSpacesOrHyphens" * 4
    edit(project, EVALUATION, '"The goals were clear."', f'"The goals were clear: {address}"')
    kit = load(project)
    document = pdf.render_document(pdf.print_html(render.Renderer(kit, "https://wbl.fixture.example.org/"), "activity-evaluation"))
    assert not text_past_right_margin(document)
    shown = "".join(child.text for page in document.pages for child in page._page_box.descendants()
                    if type(child).__name__ == "TextBox")
    assert address in shown.replace("\n", "").replace(" ", "")

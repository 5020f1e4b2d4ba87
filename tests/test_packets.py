"""Activity packets assembled from their resources' finished PDFs (macros/pdf_packet.py):
pages, contents numbers, outline, running footer, fields, structure tree, checks, fill and print.

Every expectation is derived from the loaded content (titles, ids, page counts of the
resource PDFs), so the tests hold for any activity and any wording."""
from __future__ import annotations

import re
import subprocess

import pikepdf
import pypdf
import pytest

from helpers import norm
from macros import i18n, render, urls
from macros.pdf_check import check_pdf


def _order(toolkit, aid):
    return [rid for g in toolkit.activities[aid].tools for rid in g.resources]


@pytest.fixture(scope="module")
def packets(site, toolkit):
    """``{activity id: (packet path, [(resource id, its PDF's page count)])}``."""
    out = {}
    for aid in toolkit.activities:
        parts = []
        for rid in _order(toolkit, aid):
            with pikepdf.open(site / urls.resource_pdf(rid)) as pdf:
                parts.append((rid, len(pdf.pages)))
        out[aid] = (site / urls.activity_packet(aid), parts)
    return out


def test_packet_pages_contents_numbers_outline_and_footer_agree(packets, toolkit):
    ui = i18n.UI["en"]
    for aid, (path, parts) in packets.items():
        reader = pypdf.PdfReader(path)
        pages = [norm(p.extract_text()) for p in reader.pages]
        assert len(pages) == 1 + sum(n for _, n in parts)      # cover, then each resource's pages
        cover = pages[0]
        start = 2
        starts = {}
        for rid, n in parts:
            title = norm(toolkit.resources[rid].title)
            match = re.search(re.escape(title) + r"[ .]*(\d+)", cover)   # title, leader, page number
            assert match, f"{title} missing from the contents of {aid}"
            assert int(match.group(1)) == start, title
            # the resource starts there, and the packet's own page numbers run in the footer
            assert title in pages[start - 1]
            for page in range(start, start + n):    # only the packet's numbering, not the resource's own
                numbers = re.findall(rf"{re.escape(ui['page_word'])} (\d+) {re.escape(ui['of_word'])} (\d+)", pages[page - 1])
                assert numbers == [(str(page), str(len(pages)))]
            starts[rid] = start
            start += n
        with pikepdf.open(path) as pdf, pdf.open_outline() as outline:
            index = {page.objgen: i for i, page in enumerate(pdf.pages, start=1)}
            tops = [item for item in outline.root if item.title in {toolkit.resources[r].title for r, _ in parts}]
            assert [t.title for t in tops] == [toolkit.resources[r].title for r, _ in parts]   # one bookmark per resource, in order
            # each contents entry is a link to its resource's first page, described by its title
            jumps = {}
            for annot in pdf.pages[0].obj.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and action.get("/S") == pikepdf.Name.GoTo:
                    jumps[str(annot.Contents)] = index[action.D[0].objgen]
            assert jumps == {toolkit.resources[rid].title: starts[rid] for rid, _ in parts}
            for item, (rid, n) in zip(tops, parts):
                assert index[item.destination[0].objgen] == starts[rid]
                for child in item.children:       # its own bookmarks, on its own pages
                    assert starts[rid] <= index[child.destination[0].objgen] < starts[rid] + n


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_packet_page_reads_as_its_resource_s_page_but_for_the_page_number(packets, site, lang):
    """Inside a packet each resource page shows what the resource's own PDF shows on that page,
    running header and footer included (once each), only the page number is the packet's; in
    every language (longer words wrap the running header differently)."""
    ui = i18n.UI[lang]
    folder = site / ("" if lang == "en" else lang)
    number = re.compile(rf"{re.escape(ui['page_word'])} \d+ {re.escape(ui['of_word'])} \d+")
    for aid, (_, parts) in packets.items():
        packet, page = pypdf.PdfReader(folder / urls.activity_packet(aid)).pages, 1
        for rid, _ in parts:
            own = pypdf.PdfReader(folder / urls.resource_pdf(rid)).pages
            for i in range(len(own)):
                inside, alone = norm(packet[page + i].extract_text()), norm(own[i].extract_text())
                assert len(number.findall(inside)) == 1, (aid, rid, i)
                assert number.sub("#", inside) == number.sub("#", alone), (aid, rid, i)
            page += len(own)


def test_a_page_number_is_replaced_from_parsed_operators_too_and_a_page_without_one_is_refused():
    """Where a resource page's content is not one stream laid out as WeasyPrint writes it, the
    packet still finds its page number in the parsed operators and replaces only that; a page
    whose page number is not marked (here: WeasyPrint's output before post-processing) is
    refused rather than printed with two page numbers."""
    import io

    from helpers import MARGIN_BOXES, margin_boxes_pdf, pagination_text
    from macros import pdf_packet, pdf_post

    raw = margin_boxes_pdf()
    with pikepdf.open(io.BytesIO(pdf_post.finish(raw, {}))) as pdf:
        stamp = pdf.make_stream(b"", Type=pikepdf.Name.XObject, Subtype=pikepdf.Name.Form, BBox=[0, 0, 612, 792])
        for page in pdf.pages:
            data = page.obj.Contents.read_bytes()
            cut = data.index(b"\nBT\n") + 1   # two streams, split between two operators
            page.obj.Contents = pikepdf.Array([pdf.make_stream(data[:cut]), pdf.make_stream(data[cut:])])
            pdf_packet._replace_page_number(page, stamp, pdf)
        out = io.BytesIO()
        pdf.save(out)
    for found in pagination_text(out.getvalue()):
        assert {k: " ".join(t for t, _ in v) for k, v in found.items() if v} == MARGIN_BOXES   # all but the page number
        assert ("/Bottom", "/Right") in found   # the packet's (here empty) page number, marked the same way
    with pikepdf.open(io.BytesIO(raw)) as pdf:
        with pytest.raises(ValueError, match="page number"):
            pdf_packet._replace_page_number(pdf.pages[0], pdf.make_stream(b""), pdf)


def test_packet_fields_are_the_resources_fields_prefixed_each_once_with_spoken_descriptions(packets, toolkit):
    for aid, (path, parts) in packets.items():
        expected = {}
        for rid, _ in parts:
            expected.update(render.form_field_descriptions(toolkit.resources[rid], render.packet_prefix(rid)))
        with pikepdf.open(path) as pdf:
            names = [str(f.T) for f in pdf.Root.AcroForm.Fields] if "/AcroForm" in pdf.Root else []
            assert len(names) == len(set(names))
            assert set(names) == set(expected)
            for field in pdf.Root.AcroForm.get("/Fields", []) if "/AcroForm" in pdf.Root else []:
                assert str(field.TU) == expected[str(field.T)] != str(field.T)


def test_packet_passes_the_checker_and_has_one_consistent_structure_tree(packets):
    for aid, (path, parts) in packets.items():
        assert check_pdf(path) == [], aid
        with pikepdf.open(path) as pdf:
            tree = pdf.Root.StructTreeRoot
            document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
            assert str(document.S) == "/Document"
            assert [str(k.S) for k in document.K].count("/Part") == len(parts)     # one part per resource
            nums = tree.ParentTree.Nums
            keys = [int(nums[i]) for i in range(0, len(nums), 2)]
            values = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
            assert keys == sorted(set(keys)) and int(tree.ParentTreeNextKey) > max(keys)
            used = []
            for page in pdf.pages:
                if "/StructParents" in page.obj:
                    used.append(int(page.obj.StructParents))
                for annot in page.obj.get("/Annots", []):
                    if "/StructParent" in annot:
                        key = int(annot.StructParent)
                        used.append(key)
                        owner = values[key]       # the element that owns the annotation
                        kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
                        assert any(isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None
                                   and k.Obj.objgen == annot.objgen for k in kids)
            assert len(used) == len(set(used)) and set(used) <= set(keys)
            assert str(pdf.Root.Lang).strip() and str(pdf.docinfo.Title).strip()


def test_a_value_typed_into_a_later_resource_prints(packets, tmp_path):
    """A text field of a resource after the first (whose fields were merged into the packet's
    form after another resource's) fills, gets its appearance and prints."""
    candidates = [(path, rid) for path, parts in packets.values() for rid, _ in parts[1:]]
    value = "Zq-7 sample answer"
    for path, rid in candidates:
        with pikepdf.open(path) as pdf:
            fields = [str(f.T) for f in pdf.Root.AcroForm.Fields
                      if str(f.T).startswith(render.packet_prefix(rid)) and f.get("/FT") == pikepdf.Name.Tx]
        if fields:
            break
    else:
        pytest.skip("no packet has a text field after its first resource")
    with pikepdf.open(path) as pdf:
        field = next(f for f in pdf.Root.AcroForm.Fields if str(f.T) == fields[0])
        field.V = pikepdf.String(value)
        pdf.generate_appearance_streams()
        pdf.flatten_annotations("print")
        pdf.save(tmp_path / "filled.pdf")
    text = subprocess.run(["pdftotext", str(tmp_path / "filled.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert value in text

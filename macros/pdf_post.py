"""PDF post-processing with pikepdf: what WeasyPrint leaves undone for PDF/UA forms.

:func:`finish` takes WeasyPrint's tagged PDF and

* marks the running header and footer (page margin boxes) as pagination **artifacts**:
  WeasyPrint tags their text as ``/Span`` content that no structure element reaches
  (``weasyprint/pdf/tags.py`` says so: "it could be included in tree as Artifact"), each
  with the page edges it is attached to (``/Attached [/Bottom /Right]`` for the page number,
  PDF 1.7 section 14.8.2.2.2), so a packet can replace just the page number;
* keeps radio buttons inside their group (WeasyPrint also lists each as a top-level field);
* gives every form field a ``/TU`` description with the words of its visible label (WeasyPrint
  uses the first option's label for a radio group, or the machine name without a label);
* gives text fields a simple (WinAnsi) embedded TrueType font for their values, so typed-in
  text prints and flattens correctly in every viewer (WeasyPrint's Identity-H CID font in
  ``/DA`` makes appearance generators print nothing or garbage);
* gives every table header cell (``/TH``) a ``/Scope`` (``/Column`` in the table head or
  after the first cell of a row, ``/Row`` as the first cell of a body row), so screen readers
  tie each data cell to its headers (PDF/UA-1 7.5; WeasyPrint 70 writes ``/TH`` without one).
  The templates write ``<th scope="col">`` in ``<thead>`` and ``<th scope="row">`` first in
  body rows, so the position gives the same answer as the HTML ``scope``;
* sets each page's tab order to follow the structure (``/Tabs /S``, PDF/UA-1 7.18.3);
* writes the file with a deterministic ``/ID`` and compressed object streams, so the same
  input gives the same bytes.
"""
from __future__ import annotations

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name


def finish(pdf_bytes: bytes, field_descriptions: dict[str, str]) -> bytes:
    """Post-process one WeasyPrint PDF (see the module docstring) and return the new bytes.

    Args:
        pdf_bytes: a tagged PDF written by WeasyPrint with ``pdf_variant="pdf/ua-1"``.
        field_descriptions: form-field name (``/T``) -> description (``/TU``).

    Raises:
        pikepdf.PdfError: the input is not a readable PDF.
    """
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        if "/StructTreeRoot" in pdf.Root:
            mark_margin_boxes_as_artifacts(pdf)
            scope_table_headers(pdf)
        repair_radio_groups(pdf)
        describe_fields(pdf, field_descriptions)
        use_simple_form_font(pdf)
        for page in pdf.pages:
            page.obj.Tabs = Name.S
        out = io.BytesIO()
        pdf.save(
            out,
            deterministic_id=True,
            compress_streams=True,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()


def _reachable_struct_elems(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    seen: set[tuple[int, int]] = set()
    stack = [pdf.Root.StructTreeRoot.get("/K")]
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            if "/K" in node:
                stack.append(node.K)
    return seen


def mark_margin_boxes_as_artifacts(pdf: pikepdf.Pdf) -> int:
    """Turn marked content that no reachable structure element owns into
    ``/Artifact <</Type /Pagination>>`` and drop it from the parent tree.

    Returns the number of marked-content sequences changed.
    """
    reachable = _reachable_struct_elems(pdf)
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    changed = 0
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        mcids = by_key.get(int(key)) if key is not None else None
        if not isinstance(mcids, Array):
            continue
        orphans = {
            i for i, elem in enumerate(mcids)
            if isinstance(elem, Dictionary) and elem.is_indirect and elem.objgen not in reachable
        }
        if not orphans:
            continue
        if not _mark_fast(page, pdf, orphans):
            _mark_parsed(page, pdf, orphans)
        changed += len(orphans)
        for i in orphans:
            mcids[i] = None
    return changed


#: How WeasyPrint 70 writes the start of a tagged marked-content sequence.
TAGGED_BDC = re.compile(rb"/([A-Za-z0-9]+)\n<</MCID (\d+)>>\nBDC\n")
ARTIFACT = b"/Artifact\n<</Type /Pagination>>\nBDC\n"

#: The edges of the page the page-number box is attached to: print.css puts the page number
#: (and the revision date under it) in the ``@bottom-right`` margin box.
PAGE_NUMBER_EDGES = ("/Bottom", "/Right")


def artifact_marker(edges: tuple[str, str] | None) -> bytes:
    """The bytes that begin a pagination artifact attached to ``edges`` (``("/Top" or
    "/Bottom", "/Left" or "/Right")``; None: not known), as :func:`finish` writes them."""
    if edges is None:
        return ARTIFACT
    return b"/Artifact\n<</Type /Pagination /Attached [%s %s]>>\nBDC\n" % (edges[0].encode(), edges[1].encode())


#: The start of the page number's pagination artifacts (what a packet replaces).
PAGE_NUMBER_ARTIFACT = artifact_marker(PAGE_NUMBER_EDGES)

#: Lines of a content stream: a transformation (``a b c d e f cm``), a text matrix (its
#: ``e f``: where the text starts), the end of a marked-content sequence.
_CM = re.compile(rb"(?m)^([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+) cm$")
_TM = re.compile(rb"(?m)^[-\d.]+ [-\d.]+ [-\d.]+ [-\d.]+ ([-\d.]+) ([-\d.]+) Tm$")
_LEADING = re.compile(rb"\A(?:q\n|(?:[-\d.]+ ){6}cm\n)*")
_EMC = re.compile(rb"(?m)^EMC$")


def _times(m: list[float], n: list[float]) -> list[float]:
    """The product ``m × n`` of two PDF transformation matrices ``[a b c d e f]``."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2]


def _on_page(x: float, y: float, ctm: list[float]) -> tuple[float, float]:
    """User-space point ``(x, y)`` drawn with transformation ``ctm``, in page space (points)."""
    a, b, c, d, e, f = ctm
    return x * a + y * c + e, x * b + y * d + f


def attachments(starts: list[tuple[float, float] | None], mediabox) -> list[tuple[str, str] | None]:
    """The page edges each of a page's pagination artifacts is attached to, from where its
    first text starts (page space, points; None: it has no text, and gets None).

    ``/Top`` or ``/Bottom``: the half of the page the text is in. ``/Left`` for text that
    starts where the left-aligned margin boxes start (the leftmost start of them all) in the
    left half of the page, ``/Right`` for any other: a right-aligned box ends at the right
    margin, so a long line of it that wraps can start left of the middle (the Spanish kind
    line does). ``mediabox``: ``[x0 y0 x1 y1]`` in points.
    """
    x0, y0, x1, y1 = (float(v) for v in mediabox)
    left = min((p[0] for p in starts if p is not None), default=x0)
    return [None if p is None else ("/Top" if p[1] > (y0 + y1) / 2 else "/Bottom",
                                    "/Left" if p[0] <= left + 1 and p[0] < (x0 + x1) / 2 else "/Right")
            for p in starts]


def _attach_edges(data: bytes, mediabox) -> bytes:
    """Content bytes as WeasyPrint writes them, with every pagination artifact's marker
    saying which page edges it is attached to (:func:`attachments`, from where its first text
    starts through the transformations the stream begins with). A sequence without text keeps
    the plain marker."""
    ctm = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    for m in _CM.finditer(data, 0, _LEADING.match(data).end()):
        ctm = _times([float(v) for v in m.groups()], ctm)
    found, pos = [], 0
    while (start := data.find(ARTIFACT, pos)) >= 0:
        end = _EMC.search(data, start)
        tm = _TM.search(data, start, end.start() if end else len(data))
        found.append((start, _on_page(float(tm.group(1)), float(tm.group(2)), ctm) if tm else None))
        pos = start + len(ARTIFACT)
    out, pos = [], 0
    for (start, _), edges in zip(found, attachments([p for _, p in found], mediabox)):
        out += [data[pos:start], artifact_marker(edges)]
        pos = start + len(ARTIFACT)
    return b"".join(out) + data[pos:]


def _mark_fast(page: pikepdf.Page, pdf: pikepdf.Pdf, orphans: set[int]) -> bool:
    """Rewrite the orphans' ``BDC`` operators as artifacts on the content bytes (a regular
    expression instead of parsing every operator: about 10× faster). Returns False, changing
    nothing, when the stream is not laid out as WeasyPrint writes it (then the caller parses)."""
    contents = page.obj.get("/Contents")
    if not isinstance(contents, pikepdf.Stream):
        return False
    data = contents.read_bytes()
    found = set()

    def swap(match: re.Match) -> bytes:
        mcid = int(match.group(2))
        if mcid in orphans:
            found.add(mcid)
            return ARTIFACT
        return match.group(0)

    new = TAGGED_BDC.sub(swap, data)
    if found != orphans or data.count(b"MCID") != len(TAGGED_BDC.findall(data)):
        return False
    page.obj.Contents = pdf.make_stream(_attach_edges(new, page.mediabox))
    return True


def _mark_parsed(page: pikepdf.Page, pdf: pikepdf.Pdf, orphans: set[int]) -> None:
    """:func:`_mark_fast` for any content stream: parse every operator, turn the orphans'
    ``BDC`` into pagination artifacts, each attached to the page edges (:func:`attachments`)
    from where its first text (``Tm``) starts, under the transformations (``cm``) before it."""
    new_ops, ctm, saved, found, open_artifact = [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], [], [], False
    for operands, op in pikepdf.parse_content_stream(page):
        name = str(op)
        if name == "BDC" and len(operands) == 2 and isinstance(operands[1], Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in orphans:
                operands = [Name.Artifact, Dictionary(Type=Name.Pagination)]
                found.append([len(new_ops), None])
                open_artifact = True
        elif name == "q":
            saved.append(ctm)
        elif name == "Q" and saved:
            ctm = saved.pop()
        elif name == "cm":
            ctm = _times([float(v) for v in operands], ctm)
        elif name == "Tm" and open_artifact:
            found[-1][1] = _on_page(float(operands[4]), float(operands[5]), ctm)
            open_artifact = False
        elif name == "EMC":
            open_artifact = False
        new_ops.append(pikepdf.ContentStreamInstruction(operands, op))
    for (index, _), edges in zip(found, attachments([p for _, p in found], page.mediabox)):
        if edges is not None:
            new_ops[index] = pikepdf.ContentStreamInstruction(
                [Name.Artifact, Dictionary(Type=Name.Pagination, Attached=Array([Name(e) for e in edges]))], pikepdf.Operator("BDC"))
    page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(new_ops))


def _children(elem: Dictionary) -> list[Dictionary]:
    kids = elem.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, Array) else [kids]
    return [k for k in items if isinstance(k, Dictionary) and "/S" in k]


def _attributes(elem: Dictionary) -> list[Dictionary]:
    attrs = elem.get("/A")
    if attrs is None:
        return []
    return [a for a in (list(attrs) if isinstance(attrs, Array) else [attrs]) if isinstance(a, Dictionary)]


def scope_table_headers(pdf: pikepdf.Pdf) -> int:
    """Give every ``/TH`` structure element without a ``/Scope`` one, from its position: a
    header cell in ``/THead``, or not first in its row, heads a column (``/Column``); the first
    cell of a row in ``/TBody``/``/TFoot`` or directly in ``/Table`` heads its row (``/Row``).
    The scope goes into the cell's ``/Table`` attribute object (created when missing).

    Returns the number of header cells given a scope.
    """
    changed = 0
    stack: list[tuple[Dictionary, str]] = []
    root = pdf.Root.StructTreeRoot.get("/K")
    items = list(root) if isinstance(root, Array) else [root]
    stack = [(k, "") for k in items if isinstance(k, Dictionary)]
    seen: set = set()
    while stack:
        elem, section = stack.pop()
        if elem.is_indirect:
            if elem.objgen in seen:
                continue
            seen.add(elem.objgen)
        tag = str(elem.get("/S", ""))
        if tag == "/TR":
            for position, cell in enumerate(_children(elem)):
                if str(cell.get("/S")) != "/TH":
                    continue
                table_attrs = [a for a in _attributes(cell) if a.get("/O") == Name.Table]
                if any("/Scope" in a for a in table_attrs):
                    continue
                scope = Name.Column if section == "/THead" or position > 0 else Name.Row
                if table_attrs:
                    table_attrs[0].Scope = scope
                else:
                    new = Dictionary(O=Name.Table, Scope=scope)
                    old = cell.get("/A")
                    cell.A = Array(([old] if isinstance(old, Dictionary) else list(old)) + [new]) if old is not None else new
                changed += 1
        child_section = tag if tag in ("/THead", "/TBody", "/TFoot") else ("" if tag == "/Table" else section)
        stack.extend((k, child_section) for k in _children(elem))
    return changed


def repair_radio_groups(pdf: pikepdf.Pdf) -> int:
    """WeasyPrint lists each radio button widget in ``/AcroForm /Fields`` with its own ``/T``
    as well as under its group's ``/Kids``, which makes every button a separate field in some
    viewers. Keep only the group at the top level and remove the kids' ``/T``.
    Returns the number of kids repaired."""
    if "/AcroForm" not in pdf.Root:
        return 0
    fields = pdf.Root.AcroForm.Fields
    keep = [f for f in fields if "/Parent" not in f]
    repaired = len(fields) - len(keep)
    for f in fields:
        if "/Parent" in f and "/T" in f:
            del f["/T"]
    pdf.Root.AcroForm.Fields = Array(keep)
    return repaired


def describe_fields(pdf: pikepdf.Pdf, descriptions: dict[str, str]) -> int:
    """Set ``/TU`` of each terminal form field (and each radio kid, as "label: option") from
    ``descriptions`` (keyed by the field's ``/T``). Returns the number of fields described."""
    if "/AcroForm" not in pdf.Root:
        return 0
    count = 0
    for field in pdf.Root.AcroForm.get("/Fields", []):
        name = str(field.get("/T", ""))
        text = descriptions.get(name)
        if text is None:
            continue
        field.TU = pikepdf.String(text)
        count += 1
        options = field.get("/Opt")
        for i, kid in enumerate(field.get("/Kids", [])):
            label = str(options[i]) if options is not None and i < len(options) else ""
            kid.TU = pikepdf.String(f"{text} — {label}" if label else text)
    return count


FORM_FONT_NAME = "TkForm"
FORM_FONT_SIZE = 10


def _form_font(pdf: pikepdf.Pdf) -> Dictionary:
    """An embedded TrueType font dictionary (WinAnsiEncoding, chars 32–255) made from the
    toolkit's regular face, for form-field values. Latin text including Spanish accents."""
    from fontTools.ttLib import TTFont

    from macros.render import font_files

    path = font_files()[0][2]
    data = path.read_bytes()
    font = TTFont(io.BytesIO(data))
    scale = 1000 / font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    widths = []
    for code in range(32, 256):
        try:
            char = bytes([code]).decode("cp1252")
        except UnicodeDecodeError:
            widths.append(0)
            continue
        glyph = cmap.get(ord(char))
        widths.append(round(hmtx[glyph][0] * scale) if glyph else 0)
    head, hhea, os2 = font["head"], font["hhea"], font["OS/2"]
    # the box of the letters this font can show (chars 32-255), not of the whole file: the
    # filled-in PDF spaces the lines of an answer by it (macros/assets/forms.js, ink)
    glyf = font["glyf"] if "glyf" in font else None
    inked = [glyf[cmap[ord(c)]] if glyf is not None and c and ord(c) in cmap and hasattr(glyf[cmap[ord(c)]], "yMax") else None
             for c in (bytes([code]).decode("cp1252", "ignore") for code in range(32, 256))]
    boxes = [b for b in inked if b is not None]
    bbox = ((min(b.xMin for b in boxes), min(b.yMin for b in boxes), max(b.xMax for b in boxes), max(b.yMax for b in boxes))
            if boxes else (head.xMin, head.yMin, head.xMax, head.yMax))
    name = font["name"].getDebugName(6) or "AtkinsonHyperlegible-Regular"
    descriptor = pdf.make_indirect(Dictionary(
        Type=Name.FontDescriptor,
        FontName=Name("/" + name),
        Flags=32,
        FontBBox=Array([round(v * scale) for v in bbox]),
        ItalicAngle=0,
        Ascent=round(hhea.ascent * scale),
        Descent=round(hhea.descent * scale),
        CapHeight=round(getattr(os2, "sCapHeight", hhea.ascent) * scale),
        StemV=80,
        FontFile2=pdf.make_stream(data),
    ))
    return pdf.make_indirect(Dictionary(
        Type=Name.Font,
        Subtype=Name.TrueType,
        BaseFont=Name("/" + name),
        FirstChar=32,
        LastChar=255,
        Widths=Array(widths),
        Encoding=Name.WinAnsiEncoding,
        FontDescriptor=descriptor,
        # how far each letter reaches above and below the baseline (like /Widths: 1/1000 em,
        # from FirstChar; toolkit keys, which readers ignore): the filled-in PDF sets an
        # answer's lines between the writing rules by its own letters
        TkAbove=Array([round(b.yMax * scale) if b is not None else 0 for b in inked]),
        TkBelow=Array([round(-b.yMin * scale) if b is not None else 0 for b in inked]),
    ))


def use_simple_form_font(pdf: pikepdf.Pdf) -> int:
    """Point every text field's ``/DA`` at an embedded simple TrueType font (see
    :func:`_form_font`). Returns the number of text fields changed."""
    if "/AcroForm" not in pdf.Root:
        return 0
    acro = pdf.Root.AcroForm
    text_fields = [f for f in acro.Fields if f.get("/FT") == Name.Tx]
    if not text_fields:
        return 0
    if "/DR" not in acro:
        acro.DR = Dictionary()
    resources = acro.DR
    if "/Font" not in resources:
        resources.Font = Dictionary()
    resources.Font[Name("/" + FORM_FONT_NAME)] = _form_font(pdf)
    da = pikepdf.String(f"/{FORM_FONT_NAME} {FORM_FONT_SIZE} Tf 0 g")
    for f in text_fields:
        f.DA = da
    acro.DA = da
    return len(text_fields)

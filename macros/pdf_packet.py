"""Activity packets assembled from their resources' finished PDFs (no second layout).

An activity's packet is its cover and contents followed by every resource's pages. Rather than
laying every resource out again inside one big HTML document, :func:`render_packet`

1. counts the pages of each resource's finished PDF (the same bytes published on its own);
2. renders the cover and contents with WeasyPrint (tagged PDF/UA), each contents entry showing
   the packet page its resource starts on, worked out from those page counts;
3. renders the packet's page numbers ("Page 5 of 14", over the resource's revision date: the
   bottom-right margin box alone) on otherwise empty, untagged pages
   (``print/packet_stamps.html``);
4. joins them with :func:`assemble` (pikepdf): the resource pages are copied as they are, their
   own page-number artifacts (``/Attached [/Bottom /Right]``, see :mod:`macros.pdf_post`)
   replaced by the packet's, and the parts' structure trees, form fields, outlines and named
   destinations merged so the packet is one valid tagged, fillable PDF (it passes
   :func:`macros.pdf_check.check_pdf`). The rest of each resource's running header and footer
   (kind, title, district) is the same in the packet and stays.

Form fields and named destinations of a resource are renamed ``<resource-id>--<name>``
(:func:`macros.render.packet_prefix`), as in the resource's web page inside a packet, so names
never clash across resources; each field keeps its ``/TU``.

Cost: the packet's own work (cover and contents, page-number pages, merge, check) is about a
sixth of the time its resources take to render, where laying the whole packet out again took
about 95% (``bench/benchmark.py`` prints it as "packet overhead"). Three things keep the layout
work small: the contents' dot leaders are one repeated background image, not ``leader()``
(a text box per dot); the page-number pages lay out one margin box, not four; and they take
its words from data attributes, so they have no text of their own to lay out.
"""
from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name

from markupsafe import Markup

from macros import render
from macros.pdf_post import PAGE_NUMBER_ARTIFACT, PAGE_NUMBER_EDGES


#: The cover's contents entries link to ``PAGE_LINK + <packet page number>``; :func:`assemble`
#: turns each such link into a jump to that page of the packet.
PAGE_LINK = "tk-packet:page-"


@dataclass
class Part:
    """One resource inside a packet: ``prefix`` for its field and destination names, its
    finished PDF bytes, its title (the packet bookmark that leads to its first page) and its
    number of pages (counted once, when the packet's work is made)."""

    prefix: str
    data: bytes
    title: str
    pages: int = 0


def page_count(data: bytes) -> int:
    """Number of pages of a PDF given as bytes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages)


def _packet_items(renderer: "render.Renderer", activity_id: str, pages: dict[str, int], cover_pages: int) -> tuple[list[dict], object]:
    """Each resource of the activity in packet order, with its page count and first packet
    page, and the newest revision date of the activity and its resources."""
    tk = renderer.toolkit
    a = tk.activities[activity_id]
    items, page = [], cover_pages + 1
    for g in a.tools:
        for rid in g.resources:
            r = tk.resources[rid]
            items.append(dict(r=r, group=g.id, pages=pages[rid], page=page))
            page += pages[rid]
    revised = max([a.revised] + [i["r"].revised for i in items])
    return items, revised


def cover_html(renderer: "render.Renderer", activity_id: str, pages: dict[str, int], cover_pages: int = 1) -> str:
    """Complete print HTML of a packet's cover and contents.

    Args:
        pages: resource id -> pages of its finished PDF.
        cover_pages: pages the cover itself takes (the contents numbers start after them).

    Raises:
        KeyError: no activity has this id, or a resource of it is missing from ``pages``.
    """
    from macros import pdf

    a = renderer.toolkit.activities[activity_id]
    items, revised = _packet_items(renderer, activity_id, pages, cover_pages)
    ctx = renderer._print_context()
    template = renderer.env.get_template("print/packet_cover.html")
    values = dict(a=a, stage=renderer.toolkit.site.stage(a.stage), packet_items=items, revised=revised,
                  activity_url=ctx.link(render.urls.activity_page(a.id)), page_link=PAGE_LINK)
    # The "not yet translated" notice on the cover when the cover itself shows English words
    # (each resource's own pages carry their own notice).
    return pdf.with_css(lambda _, css: renderer._with_notice(template.render(
        **values, notice=Markup(render._NOTICE_SLOT), **renderer._print_globals(ctx, css)), "print"), activity_id)


def stamps_html(renderer: "render.Renderer", activity_id: str, pages: dict[str, int], cover_pages: int) -> str:
    """Print HTML of the packet's page-number pages (see the module docstring):
    ``cover_pages`` empty pages, then one page per resource page."""
    from macros import pdf

    a = renderer.toolkit.activities[activity_id]
    items, revised = _packet_items(renderer, activity_id, pages, cover_pages)
    ctx = renderer._print_context()
    template = renderer.env.get_template("print/packet_stamps.html")
    values = dict(a=a, packet_items=items, revised=revised, cover_pages=cover_pages)
    # The "not yet translated" notice on the cover when the cover itself shows English words
    # (each resource's own pages carry their own notice).
    return pdf.with_css(lambda _, css: renderer._with_notice(template.render(
        **values, notice=Markup(render._NOTICE_SLOT), **renderer._print_globals(ctx, css)), "print"), activity_id)


@dataclass
class PacketWork:
    """Everything a worker process needs to make one packet, without the toolkit or the
    Jinja environment (picklable): the cover/contents HTML and the header/footer HTML for a
    cover of one page and of two (the contents numbers depend on it), and the parts."""

    cover: dict[int, str]
    stamps: dict[int, str]
    parts: list[Part]

    def render(self) -> tuple[bytes, int]:
        """``(pdf_bytes, page_count)`` of the packet (see :func:`render_packet`).

        Raises:
            ValueError: the cover and contents took more than two pages.
        """
        from macros import pdf

        with pdf.one_collection():
            # a long contents takes two pages: then the one numbered from page 3 on is written
            cover, cover_pages = pdf.first_that_fits([self.cover[1], self.cover[2]], 1)
            if cover_pages not in self.cover:
                raise ValueError(f"the packet's cover and contents take {cover_pages} pages; at most 2 are supported")
            data = assemble(cover, _untagged_pdf(self.stamps[cover_pages]), self.parts)
            return data, cover_pages + sum(p.pages for p in self.parts)


def packet_work(renderer: "render.Renderer", activity_id: str, resource_pdfs: dict[str, bytes]) -> PacketWork:
    """The :class:`PacketWork` of an activity's packet, from its resources' finished PDFs
    (``resource_pdfs``: resource id -> bytes; every resource of the activity).

    Raises:
        KeyError: an activity or resource id is unknown or a resource's PDF is missing.
    """
    tk = renderer.toolkit
    rids = [rid for g in tk.activities[activity_id].tools for rid in g.resources]
    pages = {rid: page_count(resource_pdfs[rid]) for rid in rids}
    parts = [Part(render.packet_prefix(rid), resource_pdfs[rid], tk.resources[rid].title, pages[rid]) for rid in rids]
    return PacketWork(
        cover={n: cover_html(renderer, activity_id, pages, n) for n in (1, 2)},
        stamps={n: stamps_html(renderer, activity_id, pages, n) for n in (1, 2)},
        parts=parts,
    )


def render_packet(renderer: "render.Renderer", activity_id: str, resource_pdfs: dict[str, bytes]) -> tuple[bytes, int]:
    """An activity's packet from its resources' finished PDFs, in this process.

    Args:
        resource_pdfs: resource id -> the PDF bytes published for it (every resource of the
            activity).

    Returns:
        ``(pdf_bytes, page_count)``.

    Raises:
        KeyError: an activity or resource id is unknown or a resource's PDF is missing.
        ValueError: the cover and contents take more than two pages.
        macros.pdf.RenderProblem, macros.pdf_fetch.RefusedURL: as :func:`macros.pdf.html_to_pdf`.
    """
    return packet_work(renderer, activity_id, resource_pdfs).render()


def _untagged_pdf(html: str) -> bytes:
    """Print HTML -> plain (untagged, formless) PDF bytes, reading only the project's assets."""
    from macros import pdf

    return pdf.render_document(html).write_pdf()


# -- merging ---------------------------------------------------------------------------------


def _nums(tree: Dictionary) -> list[tuple[int, object]]:
    """The ``(key, value)`` pairs of a number tree (flat ``/Nums`` or ``/Kids``)."""
    out = []
    if "/Nums" in tree:
        nums = tree.Nums
        out += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in tree.get("/Kids", []):
        out += _nums(kid)
    return out


def _dests(pdf: pikepdf.Pdf) -> list[tuple[str, object]]:
    """The named destinations of a PDF (``/Names /Dests`` name tree) as ``(name, dest)``."""
    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    tree = pdf.Root.Names.Dests
    if "/Kids" not in tree and "/Names" in tree:   # flat, as WeasyPrint writes it: read it directly
        names = list(tree.Names)
        return [(str(names[i]), names[i + 1]) for i in range(0, len(names), 2)]
    return [(str(k), v) for k, v in pikepdf.NameTree(tree).items()]


#: Draws the packet's page number (form XObject ``/TkPacketFurniture``), marked like the one it replaces.
_STAMP = (b"/Artifact <</Type /Pagination /Attached [%s %s]>> BDC q /TkPacketFurniture Do Q EMC\n"
          % tuple(e.encode() for e in PAGE_NUMBER_EDGES))


def _without_page_number(data: bytes) -> bytes | None:
    """Content bytes without their page-number artifacts (pagination artifacts attached to
    :data:`macros.pdf_post.PAGE_NUMBER_EDGES`), found as WeasyPrint writes operators (one per
    line) and :mod:`macros.pdf_post` writes the artifact marker (glyphs are hex strings, so no
    line of text can look like an operator): the page's own content is copied in slices
    between them, not line by line. None if there is none (the caller then parses the
    stream)."""
    marker = PAGE_NUMBER_ARTIFACT
    if marker not in data:
        return None
    out, pos, size = [], 0, len(data)
    while True:
        start = data.find(marker, pos)
        while start > 0 and data[start - 1:start] != b"\n":   # only where a line starts
            start = data.find(marker, start + 1)
        if start < 0:
            if not out:
                return None
            out.append(data[pos:])
            break
        out.append(data[pos:start])
        depth, end = 1, size
        for op in _MARKED.finditer(data, start + len(marker)):
            depth += -1 if op.group(1) == b"EMC" else 1
            if depth == 0:
                end = op.end()
                break
        pos = end + 1   # past the EMC line's newline
        if pos >= size:
            break
    return b"".join(out)


#: A line that begins or ends a marked-content sequence.
_MARKED = re.compile(rb"(?m)^(BDC|BMC|EMC)$")


def _is_page_number(operands) -> bool:
    """True for the operands of a ``BDC`` that begins a page-number artifact."""
    return (len(operands) == 2 and operands[0] == Name.Artifact and isinstance(operands[1], Dictionary)
            and operands[1].get("/Type") == Name.Pagination
            and [str(e) for e in operands[1].get("/Attached", Array())] == list(PAGE_NUMBER_EDGES))


def _replace_page_number(page: pikepdf.Page, stamp: Dictionary, pdf: pikepdf.Pdf) -> None:
    """Drop the page's own page number (its page-number artifacts, see
    :func:`macros.pdf_post.mark_margin_boxes_as_artifacts`) and draw ``stamp`` (a form XObject
    holding the packet's) over the page instead, marked as a page-number artifact too.

    Raises:
        ValueError: the page has no page-number artifact (it would show two page numbers).
    """
    contents = page.obj.get("/Contents")
    kept = _without_page_number(contents.read_bytes()) if isinstance(contents, pikepdf.Stream) else None
    if kept is None:
        out, skipping, found = [], 0, False
        for operands, op in pikepdf.parse_content_stream(page):
            name = str(op)
            if skipping:
                if name in ("BDC", "BMC"):
                    skipping += 1
                elif name == "EMC":
                    skipping -= 1
                continue
            if name == "BDC" and _is_page_number(operands):
                skipping, found = 1, True
                continue
            out.append(pikepdf.ContentStreamInstruction(operands, op))
        if not found:
            raise ValueError("a resource page has no page number marked as an artifact attached to the bottom right")
        kept = pikepdf.unparse_content_stream(out)
    # the page's own drawing inside q/Q, so the stamp is drawn with the default coordinates
    page.obj.Contents = pdf.make_stream(b"q\n" + kept.rstrip(b"\n") + b"\nQ\n" + _STAMP)
    # pages may share one resource dictionary: give this page its own, with its own stamp
    resources = Dictionary(dict(page.obj.get("/Resources", Dictionary()).items()))
    resources.XObject = Dictionary(dict(resources.get("/XObject", Dictionary()).items()))
    resources.XObject[Name("/TkPacketFurniture")] = stamp
    page.obj.Resources = resources


def assemble(cover: bytes, stamps: bytes, parts: list[Part]) -> bytes:
    """Join a packet: ``cover`` (tagged PDF, post-processed: its pages, /Lang, title, metadata
    and structure root are the packet's), then each part's pages.

    ``stamps`` is an untagged PDF with one page per packet page (the first ``len(cover pages)``
    are ignored) whose content replaces each resource page's page number.

    Merged: pages (with ``/StructParents`` and annotations' ``/StructParent`` renumbered after
    the cover's), each part's structure elements under a ``/Part`` element of the cover's
    ``/Document`` element, parent tree, RoleMap/ClassMap, AcroForm fields (renamed
    ``prefix + name``, ``/TU`` kept), named destinations (renamed the same way, and the links
    that use them), and the outline (one bookmark per part leading to its first page, holding
    the part's own bookmarks).

    Returns the packet's bytes, written deterministically (same inputs, same bytes).

    Raises:
        ValueError: ``stamps`` has fewer pages than the packet, or a part has no structure tree
            or a page without its page number marked as an artifact.
    """
    out = pikepdf.open(io.BytesIO(cover))
    stamp_pdf = pikepdf.open(io.BytesIO(stamps))
    root = out.Root
    tree = root.StructTreeRoot
    document = tree.K[0] if isinstance(tree.K, Array) else tree.K
    if not isinstance(document.K, Array):
        document.K = Array([document.K])
    entries = _nums(tree.ParentTree)
    next_key = max([k for k, _ in entries] + [int(tree.get("/ParentTreeNextKey", 0)) - 1]) + 1
    acro = root.get("/AcroForm")
    dests: list[tuple[str, object]] = _dests(out)
    outline_parts = []
    sources = [pikepdf.open(io.BytesIO(part.data)) for part in parts]
    part_pages = sum(len(src.pages) for src in sources)
    cover_pages = len(out.pages)
    total = cover_pages + part_pages
    if len(stamp_pdf.pages) < total:
        raise ValueError(f"the header/footer pages are {len(stamp_pdf.pages)}, the packet has {total}")

    for part, src in zip(parts, sources):
        if "/StructTreeRoot" not in src.Root:
            raise ValueError(f"{part.title}: the resource PDF is not tagged")
        first = len(out.pages)
        offset = next_key
        src_entries = _nums(src.Root.StructTreeRoot.ParentTree)
        next_key = offset + max([k for k, _ in src_entries] + [-1]) + 1
        # renumber in the source, then copy: pages first, so every later reference to a page
        # (structure /Pg, destinations, widget /P) lands on the packet's copy of it
        for page in src.pages:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annot in page.obj.get("/Annots", []):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + offset
                action = annot.get("/A")
                if action is not None and action.get("/S") == Name.GoTo and isinstance(action.get("/D"), pikepdf.String):
                    action.D = pikepdf.String(part.prefix + str(action.D))
                if isinstance(annot.get("/Dest"), pikepdf.String):
                    annot.Dest = pikepdf.String(part.prefix + str(annot.Dest))
        with warnings.catch_warnings():   # fields and destinations are merged below
            warnings.simplefilter("ignore")
            out.pages.extend(src.pages)
        src_root = src.Root.StructTreeRoot
        src_doc = src_root.K[0] if isinstance(src_root.K, Array) else src_root.K
        src_kids = src_doc.K if isinstance(src_doc.K, Array) else Array([src_doc.K])
        fields = src.Root.AcroForm.get("/Fields", Array()) if "/AcroForm" in src.Root else Array()
        src_dests = _dests(src)
        copied = out.copy_foreign(src.make_indirect(Array([
            Array(list(src_kids)),
            Array([v for _, v in src_entries]),
            fields,
            Array([d for _, d in src_dests]),
            src_root.get("/RoleMap", Dictionary()),
            src_root.get("/ClassMap", Dictionary()),
        ])))
        kids, values, new_fields, new_dests, role_map, class_map = list(copied)
        wrapper = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Part, P=document, K=kids))
        for kid in kids:
            if isinstance(kid, Dictionary):
                kid.P = wrapper
        document.K.append(wrapper)
        entries += [(k + offset, v) for (k, _), v in zip(src_entries, values)]
        for key, mapping in (("/RoleMap", role_map), ("/ClassMap", class_map)):
            if len(mapping):
                if key not in tree:
                    tree[key] = Dictionary()
                for name, value in mapping.items():
                    tree[key][name] = value
        for field in new_fields:
            if "/T" in field:
                field.T = pikepdf.String(part.prefix + str(field.T))
        if len(new_fields):
            if acro is None:
                src_acro = src.Root.AcroForm
                acro = root.AcroForm = out.copy_foreign(src.make_indirect(Dictionary(
                    {k: v for k, v in src_acro.items() if k != "/Fields"})))
                acro.Fields = Array()
            for field in new_fields:
                acro.Fields.append(field)
        dests += [(part.prefix + name, d) for (name, _), d in zip(src_dests, new_dests)]
        with src.open_outline() as src_outline:
            outline_parts.append((part, first, _outline_items(src_outline.root, src)))

    # the contents entries: jumps to the packet pages they name, described by the part's title
    firsts, page_no = {}, cover_pages + 1
    for part, src in zip(parts, sources):
        firsts[page_no] = part.title
        page_no += len(src.pages)
    for page in out.pages[:cover_pages]:
        for annot in page.obj.get("/Annots", []):
            action = annot.get("/A")
            uri = str(action.get("/URI", "")) if action is not None else ""
            if uri.startswith(PAGE_LINK):
                number = int(uri[len(PAGE_LINK):])
                annot.A = Dictionary(Type=Name.Action, S=Name.GoTo, D=Array([out.pages[number - 1].obj, Name.Fit]))
                annot.Contents = pikepdf.String(firsts.get(number, str(number)))

    # the packet's page number on every resource page
    owners = [part.title for part, src in zip(parts, sources) for _ in src.pages]
    for index in range(cover_pages, total):
        furniture = out.copy_foreign(stamp_pdf.pages[index].as_form_xobject())
        try:
            _replace_page_number(out.pages[index], furniture, out)
        except ValueError as error:
            raise ValueError(f"{owners[index - cover_pages]}: {error}") from None

    entries.sort(key=lambda e: e[0])
    tree.ParentTree = out.make_indirect(Dictionary(Nums=Array([x for k, v in entries for x in (k, v)])))
    tree.ParentTreeNextKey = next_key
    if dests:
        if "/Names" not in root:
            root.Names = Dictionary()
        tree_of_names = pikepdf.NameTree.new(out)   # keeps the keys in the order the format needs
        for name, dest in dests:
            tree_of_names[name] = dest
        root.Names.Dests = tree_of_names.obj

    with out.open_outline() as outline:
        for part, first, items in outline_parts:
            top = pikepdf.OutlineItem(part.title, first)
            top.children.extend(_rebuilt(items, first))
            outline.root.append(top)

    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _outline_items(items, src: pikepdf.Pdf) -> list[tuple[str, int, list, object]]:
    """A part's bookmarks as ``(title, page index in the part, children, /XYZ top)``."""
    index = {page.objgen: i for i, page in enumerate(src.pages)}
    out = []
    for item in items:
        dest = item.destination
        page, top = 0, None
        if isinstance(dest, Array) and len(dest) and isinstance(dest[0], Dictionary):
            page = index.get(dest[0].objgen, 0)
            if len(dest) >= 4 and str(dest[1]) == "/XYZ":
                top = float(dest[3])
        out.append((item.title, page, _outline_items(item.children, src), top))
    return out


def _rebuilt(items, first: int, lift: bool = True) -> list[pikepdf.OutlineItem]:
    """:func:`_outline_items` as packet bookmarks (page indexes shifted by ``first``). A part
    whose outline is one bookmark (its title, ``lift``) gives that bookmark's children."""
    if lift and len(items) == 1:
        items = items[0][2]
    out = []
    for title, page, children, top in items:
        item = (pikepdf.OutlineItem(title, first + page, "XYZ", top=top) if top is not None
                else pikepdf.OutlineItem(title, first + page))
        item.children.extend(_rebuilt(children, first, lift=False))
        out.append(item)
    return out

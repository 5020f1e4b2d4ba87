"""The permalink scheme: where every page and PDF lives, derived from stable ids only.

All paths are relative to the site root, use ``/`` and end in ``/`` for pages:

===================  =======================================  ==============================
what                 page                                     PDF
===================  =======================================  ==============================
home                 ``""``                                    –
WBL continuum        ``continuum/``                            –
activity             ``activities/<activity-id>/``             ``activities/<id>/<id>-packet.pdf``
resource             ``resources/<resource-id>/``              ``resources/<id>/<id>.pdf``
role ("For …")       ``for/<audience-id>/``                    –
resource catalog     –                                         ``resources.json``
===================  =======================================  ==============================

A renamed resource or activity keeps its old URLs working through ``former_ids`` (see
:mod:`macros.redirects`).

Titles never appear in URLs, so retitling a resource keeps every link working. The same holds
for anchors inside a page (``#<phase-id>``): see :func:`resource_anchors`.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from macros import model as m

CONTINUUM = "continuum/"
ACCESSIBILITY = "accessibility/"

#: Folders of page URLs that have no page of their own -> the page someone who trims a URL
#: to its folder (``…/resources/``) is sent to: the home page (every role and activity) or
#: the continuum (every activity).
FOLDER_PAGES = {"resources/": "", "activities/": CONTINUUM, "for/": ""}


def activity_page(activity_id: str) -> str:
    """Site-relative URL of an activity page, e.g. ``activities/informational-interviews/``."""
    return f"activities/{activity_id}/"


def activity_packet(activity_id: str) -> str:
    """Site-relative path of an activity's packet PDF (every resource, with cover and contents)."""
    return f"activities/{activity_id}/{activity_id}-packet.pdf"


def role_page(audience_id: str) -> str:
    """Site-relative URL of a role page listing one audience's resources, e.g. ``for/student/``."""
    return f"for/{audience_id}/"


#: Site path of the machine-readable resource catalog (``schemas/resources-catalog.schema.json``).
CATALOG = "resources.json"


def resource_page(resource_id: str) -> str:
    """Site-relative URL of a resource page, e.g. ``resources/<id>/``."""
    return f"resources/{resource_id}/"


def resource_pdf(resource_id: str) -> str:
    """Site-relative path of a resource's PDF, e.g. ``resources/<id>/<id>.pdf``."""
    return f"resources/{resource_id}/{resource_id}.pdf"


def relative(target: str, from_page: str) -> str:
    """Relative URL from the page at site path ``from_page`` (ending in ``/``, ``""`` for the
    home page) to site path ``target``. Works under any sub-path and from ``mkdocs serve``.

    >>> relative("resources/a/a.pdf", "resources/a/")
    'a.pdf'
    >>> relative("continuum/", "")
    'continuum/'
    >>> relative("", "resources/a/")
    '../../'
    """
    base = from_page.rstrip("/") or "."
    rel = posixpath.relpath(target.rstrip("/") or ".", base)
    if (target.endswith("/") or not target) and rel != ".":
        rel += "/"
    if rel == ".":
        rel = "./"
    return rel


def absolute(target: str, site_url: str) -> str:
    """Absolute URL of site path ``target`` under ``site_url`` (used in PDFs)."""
    return site_url.rstrip("/") + "/" + target


# ------------------------------------------------------------------------------------------
# Anchors: the parts of a page a link can point to (``resource:<id>#<anchor>``)
# ------------------------------------------------------------------------------------------

#: Anchor of the "Related" list at the end of every resource page.
RELATED_ANCHOR = "related-resources"
#: Anchor of the "Tools and Materials" heading of every activity page.
TOOLS_ANCHOR = "tools-and-materials"


@dataclass(frozen=True)
class Anchor:
    """One place on a page a link can point to: the HTML ``id`` is ``name``.

    ``loc`` is where the id is written in the content file (``("phases", 1, "id")``), or
    ``None`` for an anchor the page always has (``related-resources``); ``title`` is the words
    shown there (a heading), if any; ``printed`` is False for anchors only the web page has
    (a same-page link to one would break the PDF).
    """

    name: str
    loc: tuple | None
    title: str | None = None
    printed: bool = True


def resource_anchors(r: "m.ResourceBase") -> list[Anchor]:
    """Every anchor on the page of resource ``r``, in page order. The PDF has the same ones
    except the page title and the Related list (its body is the same partial template).

    Anchors are ids, never titles, so retitling a phase keeps every link to it working:
    the page title (resource id), checklist phases (phase id) and items
    (``<phase-id>--<item-id>``), tips, fact sheet sections and facts, form parts, fields and
    rated items (their ids), and the Related list (:data:`RELATED_ANCHOR`).
    Two entries may share a name: that is a content mistake the loader reports.
    """
    from macros import model as m

    out = [Anchor(r.id, ("id",), r.title, printed=False)]
    if isinstance(r, m.Checklist):
        for i, phase in enumerate(r.phases):
            out.append(Anchor(phase.id, ("phases", i, "id"), phase.title))
            out += [Anchor(f"{phase.id}--{item.id}", ("phases", i, "items", j, "id")) for j, item in enumerate(phase.items)]
    elif isinstance(r, m.TipSheet):
        out += [Anchor(t.id, ("tips", i, "id"), t.title) for i, t in enumerate(r.tips)]
    elif isinstance(r, m.FactSheet):
        for i, s in enumerate(r.sections):
            out.append(Anchor(s.id, ("sections", i, "id"), s.title))
            out += [Anchor(f.id, ("sections", i, "facts", j, "id"), f.label) for j, f in enumerate(s.facts)]
    if isinstance(r, m._FormBase):
        for i, part in enumerate(r.parts):
            out.append(Anchor(part.id, ("parts", i, "id"), part.title))
            for number, suffix in part.copies():
                if number is not None:
                    out.append(Anchor(f"{part.id}{suffix}", ("parts", i, "id"), f"{part.repeat_label} {number}"))
                out += [Anchor(f.id + suffix, ("parts", i, "fields", j, "id"), f.label) for j, f in enumerate(part.fields)]
            if part.rating:
                out += [Anchor(it.id, ("parts", i, "rating", "items", j, "id")) for j, it in enumerate(part.rating.items)]
            if part.table:
                out += [Anchor(row.id, ("parts", i, "table", "rows", j, "id")) for j, row in enumerate(part.table.rows)]
    if isinstance(r, m.Agreement):
        out.append(Anchor(r.terms.id, ("terms", "id"), r.terms.title))
        for i, party in enumerate(r.parties):
            out.append(Anchor(party.id, ("parties", i, "id"), party.title))
            out += [Anchor(f.id, ("parties", i, "signature", j, "id"), f.label) for j, f in enumerate(party.signature)]
    out.append(Anchor(RELATED_ANCHOR, None, "Related", printed=False))
    return out


def activity_anchors(a: "m.Activity") -> list[Anchor]:
    """Every anchor on the page of activity ``a``, in page order: the page title (activity id),
    sections, notes, Tools and Materials (:data:`TOOLS_ANCHOR`) and its groups."""
    out = [Anchor(a.id, ("id",), a.title)]
    out += [Anchor(s.id, ("sections", i, "id"), s.title) for i, s in enumerate(a.sections)]
    out += [Anchor(n.id, ("notes", i, "id"), n.title) for i, n in enumerate(a.notes)]
    out.append(Anchor(TOOLS_ANCHOR, None, "Tools and Materials"))
    out += [Anchor(g.id, ("tools", i, "id"), g.title) for i, g in enumerate(a.tools)]
    return out

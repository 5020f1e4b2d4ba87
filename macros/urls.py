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

Titles never appear in URLs, so retitling a resource keeps every link working.
"""
from __future__ import annotations

import posixpath

CONTINUUM = "continuum/"


def activity_page(activity_id: str) -> str:
    """Site-relative URL of an activity page, e.g. ``activities/informational-interviews/``."""
    return f"activities/{activity_id}/"


def activity_packet(activity_id: str) -> str:
    """Site-relative path of an activity's packet PDF (every resource, with cover and contents)."""
    return f"activities/{activity_id}/{activity_id}-packet.pdf"


def activity_source(activity_id: str) -> str:
    """Docs-relative Markdown path MkDocs builds the activity page from."""
    return f"activities/{activity_id}.md"


def role_page(audience_id: str) -> str:
    """Site-relative URL of a role page listing one audience's resources, e.g. ``for/student/``."""
    return f"for/{audience_id}/"


def role_source(audience_id: str) -> str:
    """Docs-relative Markdown path MkDocs builds the role page from."""
    return f"for/{audience_id}.md"


#: Site path of the machine-readable resource catalog (``schemas/resources-catalog.schema.json``).
CATALOG = "resources.json"


def resource_page(resource_id: str) -> str:
    """Site-relative URL of a resource page, e.g. ``resources/<id>/``."""
    return f"resources/{resource_id}/"


def resource_source(resource_id: str) -> str:
    """Docs-relative Markdown path MkDocs builds the resource page from."""
    return f"resources/{resource_id}.md"


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

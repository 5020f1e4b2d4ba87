"""``resources.json``: the machine-readable catalog of every resource, at the site root.

For other systems (a district portal, an LMS, a QR-code sheet) that want to list or link the
toolkit's resources without scraping pages. Its format is documented in README.md ("Resource
catalog") and fixed by ``schemas/resources-catalog.schema.json``; a change to the format must
change both, and raise :data:`FORMAT_VERSION` if it removes or renames a field.

Every URL is absolute, under the build's ``site_url``. ``pdf_bytes`` and ``packet_bytes`` are
read from the built PDFs, so :func:`write` runs after the PDFs are in the site (once per
edition, :mod:`macros.build`).

This module knows nothing about MkDocs.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup

from macros import model as m
from macros import urls
from macros.loader import Toolkit
from macros.render import Context, inline_markdown

#: Version of the catalog format; raised when a field is removed or changes meaning.
FORMAT_VERSION = 1


def _plain(text: str, site_url: str) -> str:
    """Inline Markdown -> plain text (what a reader sees, no markup)."""
    return Markup(inline_markdown(text, Context("print", "", site_url))).striptags()


def _size(site_dir: Path | None, path: str) -> int | None:
    if site_dir is None:
        return None
    file = site_dir / path
    return file.stat().st_size if file.is_file() else None


def catalog(toolkit: Toolkit, site_url: str, site_dir: Path | None = None) -> dict[str, Any]:
    """The catalog as JSON-ready data.

    Args:
        toolkit: the loaded content.
        site_url: absolute URL the site is published at, ending in ``/``.
        site_dir: the built site, to read PDF sizes from; ``None`` (or a missing PDF, as in a
            PDF) gives ``null`` sizes.

    Returns:
        ``{"format": "wbl-toolkit-resources", "version": 1, "site_url", "toolkit",
        "languages", "audiences", "stages", "activities", "resources"}``: see README.md
        ("Resource catalog"). Resources are in toolkit order, each listed once however many
        activities use it.
    """
    site = toolkit.site
    url = lambda path: urls.absolute(path, site_url)  # noqa: E731
    stage_order = [s.id for s in site.continuum.stages]
    resources = []
    for r in toolkit.resources.values():
        used_in = toolkit.activities_using(r.id)
        stages = sorted({a.stage for a in used_in}, key=stage_order.index)
        resources.append({
            "id": r.id,
            "title": r.title,
            "kind": r.kind,
            "kind_label": m.KIND_LABELS[r.kind],
            "summary": _plain(r.summary, site_url),
            "audiences": list(r.audiences),
            "activities": [a.id for a in used_in],
            "stages": stages,
            "page_url": url(urls.resource_page(r.id)),
            "pdf_url": url(urls.resource_pdf(r.id)),
            "packet_urls": [url(urls.activity_packet(a.id)) for a in used_in],
            "revised": r.revised.isoformat(),
            "languages": [site.language] + list(toolkit.editions),
            "pdf_bytes": _size(site_dir, urls.resource_pdf(r.id)),
            "editions": {
                lang: {
                    "title": ed.resources[r.id].title,
                    "page_url": urls.absolute(urls.resource_page(r.id), f"{site_url}{lang}/"),
                    "pdf_url": urls.absolute(urls.resource_pdf(r.id), f"{site_url}{lang}/"),
                    "pdf_bytes": _size(site_dir / lang if site_dir else None, urls.resource_pdf(r.id)),
                }
                for lang, ed in toolkit.editions.items()
            },
            "former_ids": list(r.former_ids),
        })
    return {
        "format": "wbl-toolkit-resources",
        "version": FORMAT_VERSION,
        "site_url": site_url,
        "toolkit": {
            "name": site.district.toolkit_name,
            "district": site.district.name,
            "contact_email": site.district.contact_email,
            "home_url": url(""),
        },
        "languages": [site.language] + list(toolkit.editions),
        "audiences": [
            {"id": a.id, "label": a.label, "plural": a.plural, "page_url": url(urls.role_page(a.id))}
            for a in site.audiences
        ],
        "stages": [
            {"id": s.id, "title": s.title, "continuum_url": url(urls.CONTINUUM) + "#" + s.id}
            for s in site.continuum.stages
        ],
        "activities": [
            {
                "id": a.id,
                "title": a.title,
                "stage": a.stage,
                "page_url": url(urls.activity_page(a.id)),
                "packet_url": url(urls.activity_packet(a.id)),
                "packet_bytes": _size(site_dir, urls.activity_packet(a.id)),
                "revised": a.revised.isoformat(),
                "resources": a.resource_ids,
                "former_ids": list(a.former_ids),
            }
            for a in toolkit.activities.values()
        ],
        "resources": resources,
    }


def write(site_dir: Path, toolkit: Toolkit, site_url: str) -> Path:
    """Write :func:`catalog` to ``site_dir/resources.json`` (UTF-8, indented, keys in the
    documented order). Returns the path written."""
    from macros.trace import note

    note(f"catalog {toolkit.language}")
    path = Path(site_dir) / urls.CATALOG
    data = catalog(toolkit, site_url, Path(site_dir))
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path

"""The one loader: reads every file in ``content/`` and validates it into typed models.

A build calls :func:`load_toolkit` once (:mod:`macros.build`); nothing else reads content
files. Its parts live in :mod:`macros.reader`; the names other modules use are re-exported
here.

YAML is read the way an editor means it, not the way YAML 1.1 guesses:

* files must be UTF-8 (a Latin-1 file is an error naming the file and the encoding);
* every plain scalar is **text**: ``no``, ``on``, ``12`` and ``1.10`` stay exactly as written
  (numbers and dates are converted by the model where a field asks for one);
* duplicate keys, aliases (``*name``), custom tags and oversized files are
  errors (this also rules out "billion laughs" alias bombs);
* every problem in every file is collected, then raised together as one :class:`ContentError`
  whose lines read ``content/…yml:LINE:COL: field.path: what is wrong — how to fix it``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from macros import i18n
from macros import model as m
from macros import urls
from macros.reader.checks import (
    _check_anchor_clashes, _check_former_ids, _check_internal_links, _check_references, _closest,
    _id_from_file_name, _register, own_anchors,
)
from macros.reader.problems import ContentError, Problem
from macros.reader.toolkit import Toolkit, site_url
from macros.reader.translation import Glossary, TranslationFile, _load_edition
from macros.reader.validate import validate_document
from macros.reader.yaml_reader import Document, read_document

#: The names other modules import from here (the parts live in :mod:`macros.reader`).
__all__ = ["ContentError", "Glossary", "Problem", "Toolkit", "TranslationFile", "load_toolkit",
           "read_document", "site_url", "validate_document"]


def load_toolkit(root: Path | str, translations: bool = True) -> Toolkit:
    """Load and validate every file under ``root/content``.

    Layout: ``content/site.yml``, ``content/activities/*.yml``, ``content/resources/*.yml``
    (each file named after its ``id``).

    Raises:
        ContentError: with every problem found in every file (syntax, schema, duplicate ids,
            references to ids that do not exist, file names that do not match ids).
    """
    from macros.trace import note

    note("load")
    root = Path(root).resolve()
    content = root / "content"
    problems: list[Problem] = []
    docs: dict[str, Document] = {}

    def read(path: Path) -> Document | None:
        rel = path.relative_to(root).as_posix()
        doc, found = read_document(path, rel)
        problems.extend(found)
        if doc:
            docs[rel] = doc
        return doc

    site: m.SiteContent | None = None
    site_path = content / "site.yml"
    if not site_path.exists():
        problems.append(Problem("content/site.yml", 0, 0, "", "the file is missing — it holds the district name, audiences and continuum"))
    elif (doc := read(site_path)) is not None:
        site, found = validate_document(doc, m.SiteContent)
        problems.extend(found)

    activities: dict[str, tuple[m.Activity, Document]] = {}
    for path in sorted((content / "activities").glob("*.y*ml")):
        if (doc := read(path)) is None:
            continue
        _id_from_file_name(doc, path)
        act, found = validate_document(doc, m.Activity)
        problems.extend(found)
        if act is not None:
            _register(act.id, path, doc, activities, act, problems)

    resources: dict[str, tuple[m.ResourceBase, Document]] = {}
    broken: set[str] = set()
    for path in sorted((content / "resources").glob("*.y*ml")):
        if (doc := read(path)) is None:
            broken.add(path.stem)  # unreadable: references to it are not separate problems
            continue
        _id_from_file_name(doc, path)
        kind = doc.data.get("kind")
        cls = m.RESOURCE_KINDS.get(kind) if isinstance(kind, str) else None
        if cls is None:
            broken.add(path.stem)
            line, col = doc.pos(("kind",))
            kinds = ", ".join(m.RESOURCE_KINDS)
            what = "is missing" if kind is None else f"'{kind}' is not a resource kind"
            problems.append(Problem(doc.rel, line, col, "kind", f"{what} — use one of: {kinds}{_closest(str(kind), m.RESOURCE_KINDS) if kind else ''}"))
            continue
        res, found = validate_document(doc, cls)
        problems.extend(found)
        if res is not None:
            _register(res.id, path, doc, resources, res, problems)
        else:
            broken.add(path.stem)  # exists, but invalid: do not also report references to it
            if isinstance(doc.data.get("id"), str):
                broken.add(doc.data["id"])

    if site is not None:
        problems.extend(_check_references(site, activities, resources, broken))
    pages: dict[str, tuple[str, Any]] = {}
    for act, doc in activities.values():
        pages[doc.rel] = ("activity", act)
        problems.extend(_check_anchor_clashes(doc, urls.activity_anchors(act)))
    for res, doc in resources.values():
        pages[doc.rel] = ("resource", res)
        problems.extend(_check_anchor_clashes(doc, urls.resource_anchors(res)))
    problems.extend(_check_former_ids(activities, resources))
    for doc in docs.values():
        kind, obj = pages.get(doc.rel, (None, None))
        problems.extend(_check_internal_links(doc, activities, resources, own_anchors(obj, kind), kind))

    if problems:
        raise ContentError(problems)
    assert site is not None
    editions: dict[str, Toolkit] = {}
    warnings: list[Problem] = []
    for lang in i18n.LANGUAGES[1:] if translations else []:
        edition, found, stale_found = _load_edition(root, lang, site, activities, resources, docs.get("content/site.yml"))
        problems.extend(found)
        warnings.extend(stale_found)
        if edition:
            editions[lang] = edition
    if problems:
        raise ContentError(problems, warnings)
    stage_order = {s.id: i for i, s in enumerate(site.continuum.stages)}
    ordered_acts = sorted(activities.values(), key=lambda pair: (stage_order.get(pair[0].stage, 99), pair[0].title))
    order: list[str] = []
    for act, _ in ordered_acts:
        order += [r for r in act.resource_ids if r not in order]
    sources = {**{k: d.rel for k, (_, d) in activities.items()}, **{k: d.rel for k, (_, d) in resources.items()}}
    act_ids = [a.id for a, _ in ordered_acts]
    for lang, ed in editions.items():
        ed.activities = {aid: ed.activities[aid] for aid in act_ids}
        ed.resources = {rid: ed.resources[rid] for rid in order}
    return Toolkit(
        root=root,
        site=site,
        activities={a.id: a for a, _ in ordered_acts},
        resources={rid: resources[rid][0] for rid in order},
        sources=sources,
        editions=editions,
        warnings=warnings,
    )



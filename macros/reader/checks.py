"""Checks across content files: ids that exist and match file names, references between
files, former ids, internal links and the anchors they point to."""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Iterable


from macros import model as m
from macros import urls
from macros.reader.problems import Loc, Problem, format_loc
from macros.reader.yaml_reader import Document


def _closest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.8)
    return f" — did you mean '{close[0]}'?" if close else ""


def _hint(name: str, pool: dict, folder: str = "resources") -> str:
    """Hint for an id missing from ``pool`` (id -> (model, Document)): the current id if
    ``name`` is a former id of something in ``pool``; the file to mend if a file is named
    ``name`` but its ``id:`` line says otherwise (a typo there, not in the references that
    are right); else the closest id, or that a file deleted on purpose takes this line with it
    (a close id may be another resource altogether)."""
    for new_id, (obj, doc) in pool.items():
        if name in obj.former_ids:
            return f" — it was renamed to '{new_id}' (see former_ids in {doc.rel}); use the new id"
    for new_id, (obj, doc) in pool.items():
        if Path(doc.rel).stem == name:
            return f" — {doc.rel} is there, but its id: line says '{new_id}': correct the id: line in that file"
    return _closest(name, pool) + f" (if content/{folder}/{name}.yml was deleted on purpose, remove this)"


def _id_from_file_name(doc: Document, path: Path) -> None:
    """An activity or resource file without an ``id:`` line takes its file name as its id
    (``content/resources/<id>.yml``). The web editor (:mod:`macros.cms`) names a new file from
    its title once, when it is created, and writes no ``id:`` line; files written by hand keep
    theirs, which must match the file name (:func:`_register`)."""
    if "id" not in doc.data:
        doc.data = {"id": path.stem, **doc.data}


def _register(obj_id: str, path: Path, doc: Document, into: dict, obj: Any, problems: list[Problem]) -> None:
    line, col = doc.pos(("id",))
    if path.stem != obj_id:
        problems.append(Problem(doc.rel, line, col, "id", f"the id '{obj_id}' does not match the file name '{path.name}' — rename the file to '{obj_id}.yml' or fix the id"))
    if obj_id in into:
        other = into[obj_id][1]
        problems.append(Problem(doc.rel, line, col, "id", f"the id '{obj_id}' is already used by {other.rel} (line {other.pos(('id',))[0]}) — every id must be unique"))
        return
    into[obj_id] = (obj, doc)


def _check_references(site: m.SiteContent, activities: dict, resources: dict, broken: set[str]) -> list[Problem]:
    """Cross-file checks: stages, activities, resources, audiences and related ids exist;
    every resource is listed by some activity. Ids in ``broken`` (files that exist but did not
    validate) count as existing, so one mistake is reported once."""
    problems: list[Problem] = []
    stages = [s.id for s in site.continuum.stages]
    audiences = [a.id for a in site.audiences]
    listed: set[str] = set()
    for act, doc in activities.values():
        if act.stage not in stages:
            problems.append(Problem(doc.rel, *doc.pos(("stage",)), "stage", f"'{act.stage}' is not a stage of the continuum in content/site.yml{_closest(act.stage, stages)}"))
        for gi, group in enumerate(act.tools):
            for ri, rid in enumerate(group.resources):
                listed.add(rid)
                if rid not in resources and rid not in broken:
                    loc = ("tools", gi, "resources", ri)
                    problems.append(Problem(doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc), f"no resource has the id '{rid}'{_hint(rid, resources)}"))
    titles: dict[str, str] = {}
    for rid, (res, doc) in resources.items():
        if res.title in titles:
            problems.append(Problem(doc.rel, *doc.pos(("title",)), "title", f"the title '{res.title}' is already used by content/resources/{titles[res.title]}.yml — readers could not tell them apart; make it different"))
        titles.setdefault(res.title, rid)
        for i, aud in enumerate(res.audiences):
            if aud not in audiences:
                loc = ("audiences", i)
                problems.append(Problem(doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc), f"'{aud}' is not an audience in content/site.yml{_closest(aud, audiences)}"))
        for i, rel_id in enumerate(res.related):
            if (rel_id not in resources and rel_id not in broken) or rel_id == rid:
                loc = ("related", i)
                why = "a resource cannot be related to itself" if rel_id == rid else f"no resource has the id '{rel_id}'{_hint(rel_id, resources)}"
                problems.append(Problem(doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc), why))
        if rid not in listed:
            problems.append(Problem(doc.rel, *doc.pos(("id",)), "id", f"the resource '{rid}' is not listed under 'tools' in any activity — add it to an activity in content/activities/ so readers can find it"))
    return problems


def _check_former_ids(activities: dict, resources: dict) -> list[Problem]:
    """Every old URL must lead to one place: a resource's former id may not be the current id
    of another resource, nor a former id of two resources; the same for activities. (Resources
    and activities live under different folders, so a resource may reuse an activity's id.)"""
    problems: list[Problem] = []
    for kind, pool in (("resource", resources), ("activity", activities)):
        claimed: dict[str, str] = {}
        for _, (obj, doc) in pool.items():
            for i, old in enumerate(obj.former_ids):
                loc = ("former_ids", i)
                where = (doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc))
                if old in pool:
                    problems.append(Problem(*where, (
                        f"'{old}' is the id of a current {kind} ({pool[old][1].rel}), so its old links "
                        f"cannot redirect here — remove it from former_ids, or rename that {kind} first")))
                elif old in claimed:
                    problems.append(Problem(*where, (
                        f"'{old}' is already a former id in {claimed[old]} — an old link can lead to "
                        "one place only; keep it in one file")))
                else:
                    claimed[old] = doc.rel
    return problems


_INTERNAL_RE = re.compile(r"^(resource|activity):(.*)$")


def title_slug(title: str) -> str:
    """What many tools would make an anchor from a title: ``"Paso 2 (opcional): Preparación"``
    -> ``"paso-2-opcional-preparacion"``. The toolkit never uses these (anchors are ids); the
    loader uses them only to recognise a link written from a title and suggest the id."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def _anchor_problem(target: str, anchor: str, anchors: list[urls.Anchor], where: str) -> str:
    """Message for a link whose ``#anchor`` is not on the page it points to."""
    names = [a.name for a in anchors]
    by_title = [a.name for a in anchors if a.title and title_slug(a.title) == title_slug(anchor)]
    if target.startswith("#"):
        msg = f"the link '{target}' points to no part of {where}"
    else:
        msg = f"the link '{target}' points to '#{anchor}', which is not on {where}"
    if by_title:
        return msg + f" — a link to part of a page uses that part's id, not its title: write '#{by_title[0]}'"
    close = difflib.get_close_matches(anchor, names, n=1, cutoff=0.6)
    if close:
        return msg + f" — did you mean '#{close[0]}'?"
    heads = [f"'#{a.name}'" for a in anchors if a.loc and len(a.loc) == 3]
    listed = ", ".join(heads[:6]) + (", …" if len(heads) > 6 else "")
    return msg + f" — use the id of a part of that page{' (' + listed + ')' if heads else ''}"


def _check_anchor_clashes(doc: Document, anchors: list[urls.Anchor]) -> list[Problem]:
    """Two parts of one page with the same id would give the page two equal anchors, and links
    to the second would land on the first: report the second one, naming the first."""
    problems: list[Problem] = []
    seen: dict[str, urls.Anchor] = {}
    for a in anchors:
        first = seen.get(a.name)
        if first is None:
            seen[a.name] = a
            continue
        clash, other = (a, first) if a.loc is not None else (first, a)
        if clash.loc is None:
            continue
        if other.loc is None:
            why = f"the id '{a.name}' is used by the page itself (its {other.title} list)"
        else:
            why = f"the id '{a.name}' is already used on this page by {format_loc(other.loc)} (line {doc.pos(other.loc)[0]})"
        problems.append(Problem(doc.rel, *doc.pos(clash.loc), format_loc(clash.loc), why + " — ids on one page must all be different (they are its anchors); change this one"))
    return problems


#: Texts shown on other pages too (lists of resources, the home page, the packet cover): a
#: same-page ``#anchor`` link there would point into the wrong page.
_SHOWN_ELSEWHERE = {"summary": "resource", "definition": "activity"}


def own_anchors(obj: Any, kind: str | None) -> list[urls.Anchor] | None:
    """The anchors a same-page ``#anchor`` link in the texts of ``obj`` may use (``kind``:
    "resource", "activity" or None for content/site.yml, whose links are not checked): an
    activity's page anchors; a resource's anchors that its PDF has too (resources are
    printed)."""
    if kind == "resource":
        return [a for a in urls.resource_anchors(obj) if a.printed]
    if kind == "activity":
        return urls.activity_anchors(obj)
    return None


def link_problem(target: str, loc: Loc, activities: dict, resources: dict, own: list[urls.Anchor] | None,
                 kind: str | None, own_id: Any = None) -> str | None:
    """What is wrong with the link ``target`` written in the text at ``loc`` of a ``kind``
    ("resource", "activity" or None) file whose id is ``own_id``, or None when it resolves.
    One place for the rules, used for the English (:func:`_check_internal_links`) and for
    translated texts (:func:`macros.reader.translation._load_edition`): ``resource:<id>``
    and ``activity:<id>`` must name an existing id (``activities``/``resources``: id ->
    (model, Document)), and an ``#anchor`` after them an anchor of that page (see
    :func:`macros.urls.resource_anchors`). A same-page ``#anchor`` must be one of ``own``
    (:func:`own_anchors`), and is refused in the texts of :data:`_SHOWN_ELSEWHERE`. Other
    targets (``page:``, web addresses) are not checked here."""
    if target.startswith("#"):
        if kind and loc and _SHOWN_ELSEWHERE.get(loc[0]) == kind:
            return f"the link '{target}' cannot be used here: the {loc[0]} is also shown on other pages, where it would point elsewhere — write it as {kind}:{own_id}{target}"
        if own is not None and target[1:] not in {a.name for a in own}:
            return _anchor_problem(target, target[1:], own, "this page")
        return None
    match = _INTERNAL_RE.match(target)
    if not match:
        return None
    link_kind, ident = match.groups()
    ident, _, anchor = ident.partition("#")
    pool = resources if link_kind == "resource" else activities
    if ident not in pool:
        return f"the link '{target}' names no existing {link_kind}{_hint(ident, pool, 'resources' if link_kind == 'resource' else 'activities')}"
    if anchor:
        obj = pool[ident][0]
        anchors = urls.resource_anchors(obj) if link_kind == "resource" else urls.activity_anchors(obj)
        if anchor not in {a.name for a in anchors}:
            return _anchor_problem(target, anchor, anchors, f"the page of {link_kind} '{ident}'")
    return None


def _check_internal_links(doc: Document, activities: dict, resources: dict, own: list[urls.Anchor] | None, kind: str | None = None) -> list[Problem]:
    """Every link in any text of ``doc`` resolves (:func:`link_problem`); ``own`` are the
    anchors of ``doc``'s own page, as :func:`own_anchors` gives them; ``kind``
    ("resource", "activity" or None) says what ``doc`` is."""
    problems: list[Problem] = []

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,))
        elif isinstance(value, str) and ("]" in value or "<" in value):
            for target in m.link_targets(value):
                why = link_problem(target, loc, activities, resources, own, kind, doc.data.get("id"))
                if why:
                    problems.append(Problem(doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc), why))

    walk(doc.data, ())
    return problems

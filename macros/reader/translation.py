"""Translation files (``content/translations/<lang>/``) and the glossary: their models, and
:func:`_load_edition`, which applies them to the English content (see :mod:`macros.i18n`)."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError

from macros import i18n
from macros import model as m
from macros.reader.checks import _closest, link_problem, own_anchors
from macros.reader.problems import Problem, format_loc
from macros.reader.toolkit import Toolkit
from macros.reader.validate import _friendly, validate_document
from macros.reader.yaml_reader import Document, holds_nothing, read_document


class TranslationFile(m.Model):
    """``content/translations/<lang>/…/<id>.yml``: the words of one English file in ``lang``.
    ``texts`` maps each key (see :mod:`macros.i18n`) to the English it was made from (``en``)
    and the translation (``es``)."""

    language: Literal["es"]
    """The language of the translation."""
    id: str
    """The id of the English file (``site`` for content/site.yml)."""
    texts: dict[str, dict[Literal["en", "es"], str]]
    """Key -> ``en:`` the English it was translated from, ``es:`` the translation."""


class GlossaryTerm(m.Model):
    """One standard term: the English and the Spanish forms that translate it."""

    en: str
    """The English term (matched at the start of words, any case)."""
    es: list[str] = Field(min_length=1)
    """Accepted Spanish forms (singular, plural …); a translation must use one of them."""


class Glossary(m.Model):
    """``content/translations/<lang>/glossary.yml``: the toolkit's standard terms."""

    language: Literal["es"]
    """The language of the glossary."""
    terms: list[GlossaryTerm]
    """The terms."""


def _glossary_warnings(root: Path, lang: str, terms: list, pairs: list, sources: dict) -> list[Problem]:
    """Texts whose English uses a glossary term but whose translation uses none of its forms."""
    out = []
    for english, translated, obj_id in pairs:
        mine = {sl.key: sl.text for sl in i18n.slots(translated)}
        for sl in i18n.slots(english):
            if isinstance(mine.get(sl.key), i18n.Fallback):
                continue  # not translated yet: reported as missing, not as a glossary miss
            for term in terms:
                if re.search(rf"\b{re.escape(term.en)}", sl.text, re.I) and not any(f.lower() in mine.get(sl.key, "").lower() for f in term.es):
                    out.append(Problem(sources.get(obj_id, ""), 0, 0, f"texts.{sl.key}", f"glossary: the English says '{term.en}'; the translation should use '{term.es[0]}'"))
    return out


def _unlinked(texts: dict, obj: Any, kind: str, obj_id: str, lang: str, activities: dict,
              resources: dict) -> tuple[dict, dict[str, str]]:
    """Translated texts of ``obj`` (the English model of a ``kind`` file: "site",
    "activities" or "resources") whose internal links do not resolve, checked exactly as the
    English ones are (:func:`macros.reader.checks.link_problem`): a link to an id that does not
    exist, or to an anchor that is not on its page — often a translation made before the
    English renamed an item. Returns ``texts`` with those entries' translations left out (so
    the edition shows the English text, as for an untranslated entry, and no broken link is
    published; the file keeps every word) and key -> the warning for each."""
    page = {"activities": "activity", "resources": "resource"}.get(kind)
    own = own_anchors(obj, page)
    language = i18n.LANGUAGE_NAMES[lang]
    broken: dict[str, str] = {}
    for sl in i18n.slots(obj):
        entry = texts.get(sl.key) or {}
        text = entry.get(lang)
        if not isinstance(text, str) or ("]" not in text and "<" not in text):
            continue
        try:
            m.check_inline_text(text)
        except ValueError:
            continue   # a link the model refuses (javascript:, a bare address): an error, reported by translate
        english_targets = m.link_targets(sl.text)
        why = [w for t in m.link_targets(text)
               if (w := link_problem(t, sl.path, activities, resources, own, page, obj_id))]
        if not why:
            continue
        hint = [t for t in english_targets if t not in m.link_targets(text) and t.startswith(("#", "resource:", "activity:"))]
        stale = (entry.get("en") or "").strip() != sl.text.strip()
        broken[sl.key] = (
            f"in the {language} text, {'; '.join(why)}{'' if why[-1].endswith(('?', '.')) else '.'} "
            f"The {language} edition shows the English text in its place until the link after '{lang}:' is fixed"
            + (f" (the English links to {', '.join(repr(t) for t in hint)})" if hint else "")
            + (" — the English also changed since this was translated: update the translation and copy the new "
               "English into 'en:'" if stale else ""))
    if not broken:
        return texts, broken
    return {k: ({**v, lang: ""} if k in broken else v) for k, v in texts.items()}, broken


def _load_edition(root: Path, lang: str, site: m.SiteContent, activities: dict, resources: dict,
                  site_doc: Document | None = None) -> tuple["Toolkit | None", list[Problem], list[Problem]]:
    """Read and apply the ``lang`` translations of every content file. Returns the edition (or
    None), the problems and the warnings.

    English always publishes: a missing or empty translation file, a missing or empty entry and an
    entry whose English is gone are **warnings** (the edition shows the English words as
    :class:`~macros.i18n.Fallback` texts), as are stale entries, glossary misses and
    translation files whose English file is gone, and a translated text whose internal link
    does not resolve (:func:`_unlinked`: the English is shown in its place, and the warning is
    at the entry's ``es:`` line). **Problems** are only what a translator
    must mend in a file that exists: a file that cannot be read, a wrong ``id`` or
    ``language``, a translated text that breaks a rule of the model. A text with no entry yet
    is reported at the English line that holds it (that is the line a pull request changed);
    one whose entry is there with an empty translation, at that entry's ``es:`` line, where
    the translator types it."""
    base = root / "content" / "translations" / lang
    problems: list[Problem] = []
    warnings: list[Problem] = []
    stale: dict[str, list[str]] = {}
    fallback: dict[str, list[str]] = {}
    reports: dict[str, i18n.Report] = {}
    sources: dict[str, str] = {}
    language_name = i18n.LANGUAGE_NAMES[lang]
    command = "python -m macros translations"

    def apply(obj: Any, kind: str, obj_id: str, english: Document | None, english_rel: str) -> Any:
        rel_path = base / (f"{obj_id}.yml" if kind == "site" else f"{kind}/{obj_id}.yml")
        rel = rel_path.relative_to(root).as_posix()
        sources[obj_id] = rel
        texts: dict = {}
        broken: dict[str, str] = {}
        doc = None
        if not rel_path.exists():
            n = len(i18n.slots(obj))
            line, col = (english.pos(("title",)) if "title" in english.data else english.values.get((), (1, 1))) if english is not None else (1, 1)
            warnings.append(Problem(english_rel, line, col, "", (
                f"no {language_name} translation yet: the {language_name} edition shows all {n} texts of this file "
                f"in English until {rel} exists (run `{command}` to create it, then translate each '{lang}:' line)")))
        elif holds_nothing(rel_path.read_bytes()):
            # emptied by mistake (or saved before anything was written): English publishes,
            # and the translations command writes the entries again, keeping the comments
            n = len(i18n.slots(obj))
            warnings.append(Problem(rel, 1, 1, "", (
                f"the translation file is empty (or holds only comments): the {language_name} edition shows all {n} "
                f"texts of this file in English — run `{command}` to write its entries again (your comments are kept), "
                f"then fill in the '{lang}:' lines")))
        else:
            doc, found = read_document(rel_path, rel)
            problems.extend(found)
            if doc is None:
                return None
            tf, found = validate_document(doc, TranslationFile)
            problems.extend(found)
            if tf is None:
                return None
            if tf.id != obj_id:
                problems.append(Problem(rel, *doc.pos(("id",)), "id", f"this file translates '{tf.id}' but is named for '{obj_id}' — make them match"))
                return None
            texts = tf.texts
            texts, broken = _unlinked(texts, obj, kind, obj_id, lang, activities, resources)
            for key, why in broken.items():
                line, col = doc.pos(("texts", key, lang))
                warnings.append(Problem(rel, line, col, f"texts.{key}.{lang}", why))
        try:
            translated, report = i18n.translate(obj, texts, lang)
        except ValidationError as exc:
            slot_by_path = {s.path: s.key for s in i18n.slots(obj)}
            for err in exc.errors(include_url=False):
                key = slot_by_path.get(tuple(err["loc"]), format_loc(err["loc"]))
                problems.append(Problem(rel, *(doc.pos(("texts", key)) if doc else (0, 0)), f"texts.{key}.{lang}", _friendly(err, [])))
            return None
        reports[obj_id] = report
        if report.missing:
            fallback[obj_id] = report.missing
        if doc is not None:
            by_key = {s.key: s for s in i18n.slots(obj)}
            for key in report.missing:
                if key in broken:
                    continue   # reported above, at the link to mend
                slot = by_key[key]
                english_at = (english_rel, *english.pos(slot.path)) if english is not None else None
                if key in texts:   # the entry is there, its translation empty: where to type it
                    line, col = doc.pos(("texts", key, lang))
                    at = f" (the English is at {english_at[0]}:{english_at[1]})" if english_at else ""
                    warnings.append(Problem(rel, line, col, f"texts.{key}.{lang}", (
                        f"no {language_name} translation yet: the {language_name} edition shows this English text "
                        f"until its {language_name} is written here, after '{lang}:'{at}")))
                    continue
                where = (*english_at, format_loc(slot.path)) if english_at else (rel, *doc.pos(("texts",)), f"texts.{key}")
                warnings.append(Problem(*where, (
                    f"no {language_name} translation yet (key '{key}' in {rel}): the {language_name} edition shows "
                    f"this English text until a translator adds it — run `{command}` to add the entry")))
            for key in report.unknown:
                warnings.append(Problem(rel, *doc.pos(("texts", key)), f"texts.{key}", (
                    f"the English has no '{key}' any more, so this entry is not used{_closest(key, by_key)} — if its words "
                    f"belong to a text under another key, copy them there, then delete this entry (`{command}` moves them "
                    "itself when that text's English is the same, and removes the entry when it holds no translation)")))
            for key in report.stale:
                warnings.append(Problem(rel, *doc.pos(("texts", key)), f"texts.{key}", f"stale: the English changed since this was translated — update '{lang}:' and copy the new English into 'en:'"))
        if report.stale:
            stale[obj_id] = report.stale
        return translated

    site_t = apply(site, "site", "site", site_doc, "content/site.yml")
    acts_t = {aid: apply(a, "activities", aid, doc, doc.rel) for aid, (a, doc) in activities.items()}
    res_t = {rid: apply(r, "resources", rid, doc, doc.rel) for rid, (r, doc) in resources.items()}
    extra = [p for p in base.rglob("*.yml") if p.relative_to(base).as_posix() not in
             {"site.yml", "glossary.yml", *(f"activities/{a}.yml" for a in activities), *(f"resources/{r}.yml" for r in resources)}] if base.exists() else []
    glossary: list[GlossaryTerm] = []
    glossary_path = base / "glossary.yml"
    if glossary_path.exists():
        gdoc, found = read_document(glossary_path, glossary_path.relative_to(root).as_posix())
        problems.extend(found)
        if gdoc is not None:
            g, found = validate_document(gdoc, Glossary)
            problems.extend(found)
            glossary = list(g.terms) if g else []
    for p in extra:
        warnings.append(Problem(p.relative_to(root).as_posix(), 1, 1, "", (
            "there is no English file for this translation, so it is not used — if the English file was renamed, "
            "add its old id to former_ids there; if it was deleted, this file can be deleted too "
            f"(`{command}` keeps it and reports it)")))
    if problems or site_t is None or None in acts_t.values() or None in res_t.values():
        return None, problems, warnings
    warnings.extend(_glossary_warnings(root, lang, glossary, [(site, site_t, "site")] +
                                       [(activities[k][0], v, k) for k, v in acts_t.items()] +
                                       [(resources[k][0], v, k) for k, v in res_t.items()], sources))
    return Toolkit(
        root=root, site=site_t.model_copy(update={"language": lang}), activities=acts_t, resources=res_t,
        sources=sources, language=lang, stale=stale, fallback=fallback, reports=reports,
        orphans=[p.relative_to(root).as_posix() for p in extra],
    ), problems, warnings

"""Validating a read :class:`~macros.reader.yaml_reader.Document` into a content model, each
pydantic error turned into a :class:`~macros.reader.problems.Problem` on the right line with
words an editor understands (:func:`_friendly`)."""
from __future__ import annotations

import difflib
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from macros.reader.problems import Loc, Problem, format_loc
from macros.reader.yaml_reader import Document


def _model_fields(cls: type[BaseModel], loc: Loc, data: Any) -> list[str]:
    """Field names allowed at ``loc`` inside ``cls`` (for "did you mean" hints)."""
    current: Any = cls
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        info = current.model_fields.get(part)
        if info is None:
            return list(current.model_fields)
        current = _inner_model(info.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return list(current.model_fields)
    return []


def _inner_model(annotation: Any) -> Any:
    args = getattr(annotation, "__args__", None)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in args or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _field_info(cls: type[BaseModel], loc: Loc):
    """The pydantic ``FieldInfo`` of the field at ``loc`` in ``cls`` (list indexes skipped), or
    None when ``loc`` names no field of a model."""
    current: Any = cls
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        info = current.model_fields.get(part)
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return info


def _bounds(cls: type[BaseModel], loc: Loc) -> tuple[Any, Any]:
    """(ge, le) constraints of the numeric field at ``loc`` in ``cls``, or (None, None)."""
    info = _field_info(cls, loc)
    if info is None:
        return (None, None)
    lo = hi = None
    for meta in getattr(info, "metadata", []):
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    return (lo, hi)


def _date_problem(value: Any) -> str:
    """Why ``value`` is not a date: a day the calendar does not have (``2026-11-31``: November
    2026 has 30 days), or not written as ``YYYY-MM-DD``."""
    import calendar

    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", str(value).strip()) if value is not None else None
    if match:
        year, month, day = (int(x) for x in match.groups())
        if not 1 <= month <= 12:
            return f"there is no month {month} — the month comes second in YYYY-MM-DD (01 to 12), for example 2026-11-20"
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"there is no such day: {calendar.month_name[month]} {year} has {days} days"
    return "this should be a date written as YYYY-MM-DD, for example 2026-11-20"


def _friendly(err: dict, allowed: list[str], bounds: tuple[Any, Any] = (None, None), required: bool = True) -> str:
    """Editor-facing wording of one pydantic error. ``required``: whether the key may not be
    left out (an empty optional text may also be removed; an empty required one may not)."""
    kind = err["type"]
    ctx = err.get("ctx") or {}
    loc = err["loc"]
    name = str(loc[-1]) if loc else ""
    if kind == "missing":
        return f"'{name}' is required here but missing — add a line '{name}: …'"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"allowed keys here: {', '.join(allowed)}"
        return f"unknown key '{name}' — {hint}"
    if kind in ("string_type",):
        return "this should be text — write it as a quoted text value"
    if kind in ("list_type",):
        return "this should be a list — put each entry on its own line starting with '- '"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "this should be a group of 'key: value' lines, indented under this key"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} entr{'y' if ctx.get('min_length') == 1 else 'ies'}" if "min_length" in ctx else "is too short — it needs more entries"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "is empty — write some text" + ("" if required else ", or remove the line")
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters) — shorten it or split it into two items"
    if kind == "string_pattern_mismatch":
        pattern = ctx.get("pattern", "")
        if pattern.startswith("^[a-z0-9]"):
            return "ids use lowercase letters, digits and hyphens only, like 'bring-notebook'"
        if pattern.startswith("^#"):
            return "colours are written as '#' and six hex digits, like '#1d4f73'"
        if "@" in pattern:
            return "this should be an email address, like 'wbl@district.org'"
        if "https?" in pattern:
            return "this should be a web address starting with https:// and ending with /"
        return f"is not in the expected form ({pattern})"
    if kind == "literal_error":
        options = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        if loc and loc[-1] == "[key]" and options:   # a key of a mapping, e.g. 'se:' for 'es:'
            close = difflib.get_close_matches(str(err.get("input")), options, n=1, cutoff=0.3)
            return f"unknown key '{err.get('input')}' — " + (f"did you mean '{close[0]}'?" if close else f"use one of: {ctx.get('expected')}")
        return f"must be one of: {ctx.get('expected')}"
    if kind.startswith("date"):
        return _date_problem(err.get("input"))
    if kind.startswith("int") or kind.startswith("greater") or kind.startswith("less"):
        lo, hi = bounds
        extra = f" from {lo} to {hi}" if lo is not None and hi is not None else ""
        return f"this should be a whole number{extra}"
    if kind == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    if kind == "union_tag_invalid":
        return err.get("msg", "invalid value")
    return err.get("msg", kind)


def _get(data: Any, loc: Loc) -> Any:
    for part in loc:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validate_document(doc: Document, cls: type[BaseModel]) -> tuple[BaseModel | None, list[Problem]]:
    """Validate a parsed document against ``cls``.

    Returns ``(model, [])`` or ``(None, problems)``, one :class:`Problem` per pydantic error,
    each with the file, line and column of the offending key and its field path.
    """
    try:
        return cls.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = exc.errors(include_url=False)
        # unknown keys by the group they sit in: a required key that is missing because it
        # was misspelt is reported at the misspelt key's line, not at the group's first line
        extras: dict[Loc, list[str]] = {}
        for err in errors:
            if err["type"] == "extra_forbidden" and err["loc"]:
                extras.setdefault(tuple(err["loc"][:-1]), []).append(str(err["loc"][-1]))
        for err in errors:
            loc = tuple(err["loc"])
            line, col = doc.pos(loc)
            allowed = _model_fields(cls, loc[:-1], doc.data) if err["type"] == "extra_forbidden" else []
            info = _field_info(cls, loc)
            message = _friendly(err, allowed, _bounds(cls, loc), required=info is None or info.is_required())
            if err["type"] == "missing" and loc:
                close = difflib.get_close_matches(str(loc[-1]), extras.get(loc[:-1], []), n=1, cutoff=0.6)
                if close:
                    line, col = doc.pos(loc[:-1] + (close[0],))
                    message = f"'{loc[-1]}' is required here but missing — this line has '{close[0]}': did you mean '{loc[-1]}'?"
            dup = re.search(r"id '([^']+)' is used twice", message)
            if dup:  # point at the second use of the id, not at the list that holds it
                uses = [pos for k, pos in sorted(doc.values.items(), key=lambda kv: kv[1]) if k and k[-1] == "id" and _get(doc.data, k) == dup.group(1)]
                if len(uses) >= 2:
                    line, col = uses[1]
                    message = message.replace("is used twice", f"is used twice (lines {uses[0][0]} and {uses[1][0]})")
            problems.append(Problem(doc.rel, line, col, format_loc(loc), message))
        return None, problems

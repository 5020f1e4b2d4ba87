"""The data dictionary of the content files, generated from :mod:`macros.model`.

Every key of every content file, with what to write and what it means, as Markdown tables for
editors. It lives in ``CONTRIBUTING.md`` between :data:`START` and :data:`END`, and
``python -m macros schemas`` rewrites it together with the JSON Schemas, so the dictionary
always says what the loader checks. The words come from the field docstrings in
:mod:`macros.model`.
"""
from __future__ import annotations

import datetime as _dt
import re
import typing
from pathlib import Path

from pydantic import BaseModel

from macros import model as m

START = "<!-- data-dictionary:start (generated from macros/model.py by `python -m macros schemas`; edit the model, not this part) -->"
END = "<!-- data-dictionary:end -->"

#: The content file types, in the order the dictionary lists them: (heading, model, intro).
FILE_TYPES: list[tuple[str, type[BaseModel], str]] = [
    ("content/site.yml", m.SiteContent, "One file: the district, brand colours, audiences, the WBL continuum, the home page and the accessibility statement."),
    ("content/activities/&lt;id&gt;.yml", m.Activity, "One file per activity."),
    ("content/resources/&lt;id&gt;.yml", m.ResourceBase, "One file per resource. Every resource has these keys, then the keys of its `kind` (below)."),
]

#: Headings of the models (words an editor would use), used for links between tables.
NAMES: dict[type[BaseModel], str] = {
    m.SiteContent: "Site settings", m.District: "District", m.Brand: "Brand",
    m.Audience: "Audience", m.Continuum: "Continuum", m.Stage: "Stage",
    m.StageActivity: "Stage activity", m.Home: "Home", m.AccessibilityStatement: "Accessibility statement",
    m.Activity: "Activity", m.ActivitySection: "Activity section", m.Note: "Note",
    m.ToolGroup: "Tool group",
    m.ResourceBase: "Every resource",
    m.Checklist: "Checklist", m.Phase: "Phase", m.ChecklistItem: "Checklist item",
    m.TipSheet: "Tip sheet", m.Tip: "Tip",
    m.FactSheet: "Fact sheet", m.FactSection: "Fact section", m.Fact: "Fact",
    m.Worksheet: "Worksheet", m.Reflection: "Reflection", m.Evaluation: "Evaluation",
    m.FormPart: "Form part", m.FormField: "Form field", m.Rating: "Rating",
    m.ScalePoint: "Scale point", m.RatedItem: "Rated item", m.Respondent: "Respondent",
    m.Table: "Table", m.TableColumn: "Table column", m.TableRow: "Table row", m.TableCell: "Table cell",
    m.Agreement: "Agreement", m.Terms: "Terms", m.Party: "Party", m.Log: "Log", m.Plan: "Plan",
}

_PATTERNS = {  # StringConstraints pattern -> what an editor writes
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "id",
    r"^#[0-9a-fA-F]{6}$": "colour written `#rrggbb`",
    r"^[^@\s<>]+@[^@\s<>]+\.[a-zA-Z]{2,}$": "email address",
    r"^https?://[^\s]+/$": "web address ending in `/`",
}


def anchor(cls: type[BaseModel]) -> str:
    """GitHub's anchor of the heading of ``cls`` (``Checklist item`` -> ``checklist-item``)."""
    return re.sub(r"[^a-z0-9\- ]", "", NAMES[cls].lower()).replace(" ", "-")


def describe(annotation: typing.Any) -> str:
    """What an editor writes for a value of this type, in words (``list of text``).

    Raises:
        ValueError: a type this function does not know (add it when the model grows one).
    """
    if annotation is type(None):
        return "nothing"
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base, *meta = args
        for item in meta:
            func = getattr(item, "func", None)
            if func is m.check_inline_text:
                return "text"
            if func is m.check_plain_title:
                return "plain text"
            pattern = getattr(item, "pattern", None)
            if pattern in _PATTERNS:
                return _PATTERNS[pattern]
        if base is int:
            lo = next((getattr(x, "ge") for x in meta if getattr(x, "ge", None) is not None), None)
            hi = next((getattr(x, "le") for x in meta if getattr(x, "le", None) is not None), None)
            if lo is not None and hi is not None:
                return f"`{lo}` or `{hi}`" if hi == lo + 1 else f"whole number from {lo} to {hi}"
            return "whole number"
        return describe(base)
    if origin is list:
        inner = describe(args[0])
        return f"list of {inner} entries" if inner.startswith("[") else f"list of {inner}s" if inner in ("text", "plain text", "id") else f"list of {inner}"
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(describe(a) for a in args if a is not type(None))
    if origin is typing.Literal:
        words = [f"`{a}`" for a in args]
        return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{NAMES[annotation]}](#{anchor(annotation)})"
    if annotation is _dt.date:
        return "date written YYYY-MM-DD"
    if annotation is int:
        return "whole number"
    if annotation is str:
        return "text"
    raise ValueError(f"no words for the type {annotation!r} — add them to macros/dictionary.py")


def _words(doc: str | None) -> str:
    """A class docstring as one Markdown paragraph (reST ``code`` becomes `code`)."""
    return " ".join((doc or "").split()).replace("``", "`")


LEGEND = """Words used in the tables:

* **text**: words, which may use `**bold**`, `*italic*` and links such as
  `[the research activity](resource:informational-interview-research-activity)`;
* **plain text**: words only, no formatting (titles, labels, headings);
* **id**: lowercase letters, digits and single hyphens, like `bring-notebook`; ids name
  web addresses, anchors and PDF form fields, so keep them when you change the words;
* **list**: one entry per line, each starting with `- ` (or `[a, b]` on one line);
* **required** keys must be there; **optional** keys may be left out.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def model_table(cls: type[BaseModel], skip: typing.Iterable[str] = ()) -> str:
    """A Markdown table of the keys of ``cls``: key, what to write, required or optional, and
    what it means (the field's docstring). Keys in ``skip`` are left out."""
    rows = ["| key | what to write | needed? | what it is |", "|---|---|---|---|"]
    fields = sorted(cls.model_fields.items(), key=lambda kv: kv[0] != "kind")  # `kind` first
    for name, info in fields:
        if name in skip:
            continue
        if info.is_required():
            needed = "required"
        elif info.default not in (None, [], ()):
            needed = f"optional (`{info.default}` if left out)"
        else:
            needed = "optional"
        what = describe(info.rebuild_annotation())
        rows.append(f"| `{name}` | {_cell(what)} | {needed} | {_cell(info.description or '')} |")
    return "\n".join(rows)


def _nested(cls: type[BaseModel]) -> list[type[BaseModel]]:
    """Models used inside ``cls``'s fields, in field order (not recursive)."""
    found: list[type[BaseModel]] = []

    def walk(t: typing.Any) -> None:
        if isinstance(t, type) and issubclass(t, BaseModel):
            if t not in found:
                found.append(t)
            return
        for a in typing.get_args(t):
            walk(a)

    for info in cls.model_fields.values():
        walk(info.annotation)
    return found


def data_dictionary() -> str:
    """The whole dictionary as Markdown: one section per content file type, one table per
    model (each model once, after the first table that uses it)."""
    out: list[str] = [LEGEND]
    done: set[type[BaseModel]] = set()

    def section(c: type[BaseModel], level: int, skip: typing.Iterable[str] = (), lead: str = "") -> None:
        if c in done:
            return
        done.add(c)
        out.append(f"{'#' * level} {NAMES[c]}\n")
        out.append((lead or _words(c.__doc__)) + "\n")
        out.append(model_table(c, skip) + "\n")
        for n in _nested(c):
            section(n, level)

    for heading, cls, lead in FILE_TYPES:
        out.append(f"### {heading}\n")
        section(cls, 4, lead=lead)
    base = set(m.ResourceBase.model_fields)
    for kind, cls in m.RESOURCE_KINDS.items():
        section(cls, 4, skip=base, lead=f"`kind: {kind}`. {_words(cls.__doc__)} Its keys besides [those of every resource](#{anchor(m.ResourceBase)}):")
    return "\n".join(out).rstrip() + "\n"


def update_contributing(path: Path) -> bool:
    """Replace the text between :data:`START` and :data:`END` in ``path`` with
    :func:`data_dictionary`. Returns True if the file changed.

    Raises:
        ValueError: the file does not have both markers, in that order.
    """
    text = path.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise ValueError(f"{path} needs the lines {START!r} and {END!r} around the data dictionary")
    new = text[: start + len(START)] + "\n\n" + data_dictionary() + "\n" + text[end:]
    if new != text:
        path.write_text(new, encoding="utf-8")
    return new != text

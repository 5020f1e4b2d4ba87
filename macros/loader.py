"""The one loader: reads every file in ``content/`` and validates it into typed models.

Both the site (mkdocs-macros / hooks) and ``build_pdfs.py`` call :func:`load_toolkit`; nothing
else reads content files.

YAML is read the way an editor means it, not the way YAML 1.1 guesses:

* files must be UTF-8 (a Latin-1 file is an error naming the file and the encoding);
* every plain scalar is **text**: ``no``, ``on``, ``12`` and ``1.10`` stay exactly as written
  (numbers and dates are converted by the model where a field asks for one);
* duplicate keys, aliases (``*name``), custom tags and files over :data:`MAX_FILE_BYTES` are
  errors (this also rules out "billion laughs" alias bombs);
* every problem in every file is collected, then raised together as one :class:`ContentError`
  whose lines read ``content/…yml:LINE:COL: field.path: what is wrong — how to fix it``.
"""
from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError

from macros import i18n
from macros import model as m
from macros import urls

#: Largest content file accepted, in bytes. Real resources are 3–12 KB.
MAX_FILE_BYTES = 256 * 1024

#: Position of a value in a file: 1-based (line, column).
Pos = tuple[int, int]
#: Path of a value inside a file, as keys and list indexes: ("phases", 0, "items", 3, "text").
Loc = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one content file.

    ``file`` is relative to the project root (``content/resources/x.yml``); ``line`` and
    ``column`` are 1-based (0 when unknown); ``field`` is a dotted path such as
    ``phases[0].items[3].text`` ("" for the whole file).
    """

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return f"{where}: {self.field + ': ' if self.field else ''}{self.message}"


class ContentError(Exception):
    """Raised when content does not load. ``problems`` lists every :class:`Problem` found, in
    file order; ``warnings`` the non-fatal ones found before it stopped (may be empty);
    ``str()`` gives one line per problem plus a count."""

    def __init__(self, problems: list[Problem], warnings: list[Problem] | None = None):
        self.problems = sorted(problems, key=lambda p: (p.file, p.line, p.column, p.field))
        self.warnings = list(warnings or [])
        super().__init__(self.report())

    def report(self) -> str:
        """The editor-facing report: one ``file:line:col: field: message`` line per problem."""
        lines = [str(p) for p in self.problems]
        n = len(self.problems)
        lines.append(f"{n} problem{'s' if n != 1 else ''} found in the content; nothing was built.")
        return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Reading YAML
# ----------------------------------------------------------------------------------------------


class _EditorLoader(yaml.SafeLoader):
    """SafeLoader that resolves every plain scalar to text and refuses aliases."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not supported", event.start_mark
            )
        return super().compose_node(parent, index)


# No implicit resolvers: `no`, `on`, `12`, `1.10`, `2026-01-01` are all read as text.
_EditorLoader.yaml_implicit_resolvers = {}

_STR, _SEQ, _MAP = "tag:yaml.org,2002:str", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"


@dataclass
class Document:
    """A parsed content file: ``data`` (dicts, lists, str and None only) and where each value
    and each key stands (``values[loc]``, ``keys[loc]``, 1-based line and column)."""

    path: Path
    rel: str
    data: Any
    text: str = ""
    values: dict[Loc, Pos] = field(default_factory=dict)
    keys: dict[Loc, Pos] = field(default_factory=dict)

    def pos(self, loc: Loc, prefer_key: bool = True) -> Pos:
        """Best known position for ``loc``: the key's line if ``prefer_key``, else the value's;
        falls back to the nearest enclosing value, then (0, 0)."""
        loc = tuple(loc)
        while True:
            if prefer_key and loc in self.keys:
                return self.keys[loc]
            if loc in self.values:
                return self.values[loc]
            if not loc:
                return (0, 0)
            loc = loc[:-1]


def _mark(mark) -> Pos:
    return (mark.line + 1, mark.column + 1)


def _yaml_problem(rel: str, exc: yaml.YAMLError) -> Problem:
    """Turn a PyYAML error into an editor-facing :class:`Problem`."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    line, col = _mark(mark) if mark else (0, 0)
    problem = (getattr(exc, "problem", None) or str(exc)).strip()
    context = (getattr(exc, "context", None) or "").strip()
    if "'\\t'" in problem or "tab" in problem:
        msg = "a tab character is used here — YAML needs spaces for indenting; replace the tab with spaces"
    elif "mapping values are not allowed" in problem:
        msg = (
            "YAML found a second 'key:' on one line — usually a colon (:) inside text that is not "
            'in quotes (put the whole text in double quotes, for example  text: "Step 1: Prepare"), '
            "or a line indented differently from the lines around it"
        )
    elif "aliases" in problem or "alias" in problem or "anchor" in problem:
        msg = (
            "text that starts with * or & must be in quotes (YAML aliases are not supported) — "
            'write it as  "*like this*"'
        )
    elif "could not find expected ':'" in problem:
        msg = (
            "YAML expected 'key: value' here — check the line above for a missing colon, "
            "a missing closing quote, or a line that is indented differently from its neighbours"
        )
    elif "end of stream" in problem and "quoted" in context or "found unexpected end of stream" in problem:
        msg = "a quoted text is never closed — add the closing quote mark"
    elif "expected <block end>" in problem or "did not find expected" in problem:
        msg = (
            "the structure is broken here — check (1) that every quoted text on this line or the "
            "lines above has both quote marks and no plain \" inside it (write ’ or “ ” instead), "
            "and (2) the indentation: list items start with '- ' and line up under each other"
        )
    else:
        msg = f"this is not valid YAML ({problem}{'; ' + context if context else ''}) — check quotes and indentation"
    return Problem(rel, line, col, "", msg)


def read_document(path: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    """Read one content file.

    Returns ``(document, [])`` or ``(None, problems)``; never raises for bad content.
    Problems found: over-size files, non-UTF-8 bytes, YAML syntax errors, duplicate keys,
    aliases, custom tags, non-text keys, empty files, files whose top level is not a mapping.
    """
    raw = path.read_bytes()
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, 0, 0, "", f"the file is {len(raw) // 1024} KB; content files may be at most {MAX_FILE_BYTES // 1024} KB — split it into smaller resources")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        try:
            raw.decode("cp1252")
            guess = "Windows-1252 / Latin-1"
        except UnicodeDecodeError:
            guess = "a non-UTF-8 encoding"
        return None, [Problem(rel, line, col, "", f"the file is not UTF-8 (byte 0x{raw[exc.start]:02x}; it looks like {guess}) — save it with UTF-8 encoding (in VS Code: 'Save with Encoding' → UTF-8)")]
    if text.startswith("\ufeff"):
        text = text[1:]
    loader = _EditorLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(rel, exc)]
    finally:
        loader.dispose()
    if node is None:
        return None, [Problem(rel, 1, 1, "", "the file is empty (or holds only comments) — start from the template for its kind in CONTRIBUTING.md ('Add a new resource'), or copy an existing file of the same kind, and change it")]
    doc = Document(path, rel, None, text)
    problems: list[Problem] = []
    doc.data = _to_data(node, (), doc, problems)
    if not problems and not isinstance(doc.data, dict):
        problems.append(Problem(rel, *_mark(node.start_mark), "", "the file must be a list of 'key: value' lines at the top level"))
    return (None if problems else doc), problems


def _to_data(node: yaml.Node, loc: Loc, doc: Document, problems: list[Problem]) -> Any:
    doc.values[loc] = _mark(node.start_mark)
    field_name = format_loc(loc)
    if node.tag not in (_STR, _SEQ, _MAP):
        problems.append(Problem(doc.rel, *_mark(node.start_mark), field_name, f"YAML tags such as '{node.tag}' are not allowed — remove the '!…' part"))
        return None
    if isinstance(node, yaml.ScalarNode):
        if node.style is None and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        if node.style is None and " " in node.value:
            rest = doc.text[node.end_mark.index:].split("\n", 1)[0]
            if re.match(r"\s+#", rest):
                hash_col = node.end_mark.column + len(rest) - len(rest.lstrip()) + 1
                problems.append(Problem(
                    doc.rel, node.end_mark.line + 1, hash_col, field_name,
                    "the text is cut short here: YAML reads ' #' as the start of a comment, so "
                    f"'{rest.strip()}' is dropped — put the whole text in double quotes",
                ))
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_to_data(child, loc + (i,), doc, problems) for i, child in enumerate(node.value)]
    out: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            problems.append(Problem(doc.rel, *_mark(key_node.start_mark), field_name, "keys must be plain words such as 'title'"))
            continue
        key = key_node.value
        if key in out or key in first_line:
            problems.append(Problem(
                doc.rel, *_mark(key_node.start_mark), format_loc(loc + (key,)),
                f"the key '{key}' appears twice, on lines {first_line[key]} and {key_node.start_mark.line + 1} — keep one of them"
                + (" (if this line starts a new list entry, begin it with '- ')" if isinstance(key, str) and key in ("id", "text", "label", "title") else ""),
            ))
            continue
        first_line[key] = key_node.start_mark.line + 1
        doc.keys[loc + (key,)] = _mark(key_node.start_mark)
        out[key] = _to_data(value_node, loc + (key,), doc, problems)
    return out


def format_loc(loc: Iterable[Any]) -> str:
    """``("phases", 0, "items", 3, "text")`` -> ``"phases[0].items[3].text"``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


# ----------------------------------------------------------------------------------------------
# Validation into models
# ----------------------------------------------------------------------------------------------


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


def _bounds(cls: type[BaseModel], loc: Loc) -> tuple[Any, Any]:
    """(ge, le) constraints of the numeric field at ``loc`` in ``cls``, or (None, None)."""
    current: Any = cls
    info = None
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return (None, None)
        info = current.model_fields.get(part)
        if info is None:
            return (None, None)
        current = _inner_model(info.annotation)
    lo = hi = None
    for meta in getattr(info, "metadata", []):
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    return (lo, hi)


def _friendly(err: dict, allowed: list[str], bounds: tuple[Any, Any] = (None, None)) -> str:
    """Editor-facing wording of one pydantic error."""
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
        return "is empty — write some text, or remove the line"
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
        return f"must be one of: {ctx.get('expected')}"
    if kind.startswith("date"):
        return "this should be a date written as YYYY-MM-DD, for example 2026-11-20"
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
            message = _friendly(err, allowed, _bounds(cls, loc))
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


# ----------------------------------------------------------------------------------------------
# The whole toolkit
# ----------------------------------------------------------------------------------------------


@dataclass
class Toolkit:
    """All validated content.

    Attributes:
        root: the project root (the folder holding ``content/``).
        site: ``content/site.yml``.
        activities: activity id -> :class:`~macros.model.Activity`, in continuum order.
        resources: resource id -> resource model, in toolkit order (activity by activity,
            group by group, as the activities list them).
        sources: content id -> file path relative to ``root`` (for messages and caching).
        language: the language of this edition's words (``en`` for the loaded content).
        editions: the other languages' editions (``{"es": Toolkit}``), same ids and order;
            each has ``stale``: content id (``site`` for site.yml) -> keys whose English
            changed since they were translated; ``fallback``: content id -> keys shown in
            English because they have no translation yet; ``reports``: content id ->
            :class:`~macros.i18n.Report` (counts for the translation status report);
            ``orphans``: translation files whose English file is gone.
        warnings: problems that do not stop the build (missing, stale and unknown
            translations, glossary misses).
    """

    root: Path
    site: m.SiteContent
    activities: dict[str, m.Activity]
    resources: dict[str, m.ResourceBase]
    sources: dict[str, str]
    language: str = "en"
    editions: dict[str, "Toolkit"] = field(default_factory=dict)
    stale: dict[str, list[str]] = field(default_factory=dict)
    fallback: dict[str, list[str]] = field(default_factory=dict)
    reports: dict[str, "i18n.Report"] = field(default_factory=dict)
    orphans: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def edition(self, language: str) -> "Toolkit":
        """The toolkit in ``language`` (``"en"``: this one). Raises KeyError if there is no
        such edition."""
        return self if language == self.language else self.editions[language]

    def activities_using(self, resource_id: str) -> list[m.Activity]:
        """Activities whose Tools and Materials list ``resource_id`` (continuum order)."""
        return [a for a in self.activities.values() if resource_id in a.resource_ids]

    def resources_for(self, audience_id: str) -> list[m.ResourceBase]:
        """Resources written for ``audience_id``, in toolkit order."""
        return [r for r in self.resources.values() if audience_id in r.audiences]


def site_url(toolkit: "Toolkit") -> str:
    """The URL this edition of the site is published at: ``$TOOLKIT_SITE_URL`` if set, else
    ``site_url`` from ``content/site.yml``, plus ``<lang>/`` for a translated edition
    (``…/es/``); always ends in ``/``."""
    url = os.environ.get("TOOLKIT_SITE_URL") or toolkit.site.site_url
    url = url if url.endswith("/") else url + "/"
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", url):
        raise ContentError([Problem("TOOLKIT_SITE_URL", 0, 0, "", f"'{url}' is not a web address — use the form https://host/path/")])
    return url if toolkit.language == i18n.LANGUAGES[0] else f"{url}{toolkit.language}/"


def _closest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.8)
    return f" — did you mean '{close[0]}'?" if close else ""


def _hint(name: str, pool: dict) -> str:
    """Hint for an id missing from ``pool`` (id -> (model, Document)): the current id if
    ``name`` is a former id of something in ``pool``, else the closest id."""
    for new_id, (obj, doc) in pool.items():
        if name in obj.former_ids:
            return f" — it was renamed to '{new_id}' (see former_ids in {doc.rel}); use the new id"
    return _closest(name, pool)


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
    own: dict[str, tuple[str, list[urls.Anchor]]] = {}
    for act, doc in activities.values():
        own[doc.rel] = ("activity", urls.activity_anchors(act))
    for res, doc in resources.values():
        own[doc.rel] = ("resource", urls.resource_anchors(res))
    for rel, (_, anchors) in own.items():
        problems.extend(_check_anchor_clashes(docs[rel], anchors))
    problems.extend(_check_former_ids(activities, resources))
    for doc in docs.values():
        kind, anchors = own.get(doc.rel, (None, None))
        problems.extend(_check_internal_links(doc, activities, resources, anchors, kind))

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


def _load_edition(root: Path, lang: str, site: m.SiteContent, activities: dict, resources: dict,
                  site_doc: Document | None = None) -> tuple["Toolkit | None", list[Problem], list[Problem]]:
    """Read and apply the ``lang`` translations of every content file. Returns the edition (or
    None), the problems and the warnings.

    English always publishes: a missing translation file, a missing or empty entry and an
    entry whose English is gone are **warnings** (the edition shows the English words as
    :class:`~macros.i18n.Fallback` texts), as are stale entries, glossary misses and
    translation files whose English file is gone. **Problems** are only what a translator
    must mend in a file that exists: a file that cannot be read, a wrong ``id`` or
    ``language``, a translated text that breaks a rule of the model. A missing text is
    reported at the English line that holds it (that is the line a pull request changed)."""
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
        doc = None
        if not rel_path.exists():
            n = len(i18n.slots(obj))
            line, col = (english.pos(("title",)) if "title" in english.data else english.values.get((), (1, 1))) if english is not None else (1, 1)
            warnings.append(Problem(english_rel, line, col, "", (
                f"no {language_name} translation yet: the {language_name} edition shows all {n} texts of this file "
                f"in English until {rel} exists (run `{command}` to create it, then translate each '{lang}:' line)")))
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
                slot = by_key[key]
                where = (english_rel, *english.pos(slot.path), format_loc(slot.path)) if english is not None else (rel, *doc.pos(("texts",)), f"texts.{key}")
                warnings.append(Problem(*where, (
                    f"no {language_name} translation yet (key '{key}' in {rel}): the {language_name} edition shows "
                    f"this English text until a translator adds it — run `{command}` to add the entry")))
            for key in report.unknown:
                warnings.append(Problem(rel, *doc.pos(("texts", key)), f"texts.{key}", f"the English has no '{key}' any more, so this entry is not used — `{command}` removes it{_closest(key, by_key)}"))
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
                    problems.append(Problem(doc.rel, *doc.pos(loc, prefer_key=False), format_loc(loc), f"no resource has the id '{rid}'{_hint(rid, resources)} (resources live in content/resources/<id>.yml)"))
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


def _check_internal_links(doc: Document, activities: dict, resources: dict, own: list[urls.Anchor] | None, kind: str | None = None) -> list[Problem]:
    """``resource:<id>`` and ``activity:<id>`` links in any text must name existing ids, and an
    ``#anchor`` after them must be an anchor of that page (see
    :func:`macros.urls.resource_anchors`). A same-page ``#anchor`` link must be one of ``own``
    that the PDF has too (resources are printed), and is refused in the texts of
    :data:`_SHOWN_ELSEWHERE`; ``kind`` ("resource", "activity" or None) says what ``doc`` is."""
    problems: list[Problem] = []
    if own is not None and kind == "resource":
        own = [a for a in own if a.printed]

    def walk(value: Any, loc: Loc) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, loc + (k,))
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, loc + (i,))
        elif isinstance(value, str) and ("]" in value or "<" in value):
            for target in m.link_targets(value):
                here = doc.pos(loc, prefer_key=False)
                if target.startswith("#"):
                    if kind and loc and _SHOWN_ELSEWHERE.get(loc[0]) == kind:
                        problems.append(Problem(doc.rel, *here, format_loc(loc), f"the link '{target}' cannot be used here: the {loc[0]} is also shown on other pages, where it would point elsewhere — write it as {kind}:{doc.data.get('id')}{target}"))
                    elif own is not None and target[1:] not in {a.name for a in own}:
                        problems.append(Problem(doc.rel, *here, format_loc(loc), _anchor_problem(target, target[1:], own, "this page")))
                    continue
                match = _INTERNAL_RE.match(target)
                if not match:
                    continue
                link_kind, ident = match.groups()
                ident, _, anchor = ident.partition("#")
                pool = resources if link_kind == "resource" else activities
                if ident not in pool:
                    problems.append(Problem(doc.rel, *here, format_loc(loc), f"the link '{target}' names no existing {link_kind}{_hint(ident, pool)}"))
                elif anchor:
                    obj = pool[ident][0]
                    anchors = urls.resource_anchors(obj) if link_kind == "resource" else urls.activity_anchors(obj)
                    if anchor not in {a.name for a in anchors}:
                        problems.append(Problem(doc.rel, *here, format_loc(loc), _anchor_problem(target, anchor, anchors, f"the page of {link_kind} '{ident}'")))

    walk(doc.data, ())
    return problems

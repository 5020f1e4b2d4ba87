"""Reading one content file the way an editor means it, not the way YAML 1.1 guesses.

* files must be UTF-8 (a Latin-1 file is an error naming the file and the encoding);
* every plain scalar is **text**: ``no``, ``on``, ``12`` and ``1.10`` stay exactly as written
  (numbers and dates are converted by the model where a field asks for one);
* duplicate keys, aliases (``*name``), custom tags and files over :data:`MAX_FILE_BYTES` are
  errors (this also rules out "billion laughs" alias bombs);
* every value and key keeps its line and column (:class:`Document`), for messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from macros.reader.problems import Loc, Pos, Problem, format_loc


#: Largest content file accepted, in bytes. Real resources are 3–12 KB.
MAX_FILE_BYTES = 256 * 1024


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


if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """The same reading done by libyaml (PyYAML's C parser, about ten times faster than the
        pure-Python one). Used first; a file it finds wrong, or one with an alias, is read again
        with :class:`_EditorLoader`, whose messages the editor sees."""

    _FastLoader.yaml_implicit_resolvers = {}
else:  # PyYAML built without libyaml: the pure-Python reader does everything
    _FastLoader = None


def _has_alias(node: yaml.Node) -> bool:
    """True if a node appears twice in the tree (what an alias ``*name`` makes)."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            return True
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                stack += (k, v)
        elif isinstance(n, yaml.SequenceNode):
            stack += n.value
    return False


def _compose(text: str) -> yaml.Node | None:
    """The file's node tree (None for an empty file).

    Raises:
        yaml.YAMLError: the text is not valid YAML, or uses an alias (from the pure-Python
            reader, with its line and wording).
    """
    if _FastLoader is not None:
        loader = _FastLoader(text)
        try:
            node = loader.get_single_node()
            if node is None or not _has_alias(node):
                return node
        except yaml.YAMLError:
            pass
        finally:
            loader.dispose()
    loader = _EditorLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


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
    if "'\\t'" in problem or re.search(r"\btab\b", problem):   # not "unacceptable"
        msg = "a tab character is used here — YAML needs spaces for indenting; replace the tab with spaces"
    elif "mapping values are not allowed" in problem:
        msg = (
            "YAML found a second 'key:' on one line — usually a colon (:) inside text that is not "
            'in quotes (put the whole text in double quotes, for example  text: "Step 1: Prepare"), '
            "or a line indented differently from the lines around it"
        )
    elif "unknown escape character" in problem:
        msg = (
            "a backslash (\\) in text between double quotes starts a code YAML does not know — "
            "remove the backslash, write two (\\\\) for one, or put the text in single quotes instead"
        )
    elif "sequence entries are not allowed" in problem or "block sequence entries are not allowed" in problem:
        msg = (
            "a text that starts with '- ' must be in double quotes (text: \"- like this\"); a list item's "
            "'- ' must line up under the other items of its list"
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


def _nbsp_problem(rel: str, text: str, exc: yaml.YAMLError) -> Problem | None:
    """A YAML error caused by a non-breaking space (U+00A0: looks like a space, and word
    processors and web pages put it in) where YAML needs a real one: in the indentation or
    right after a key's colon, on the line of the error or the line before. Returns the
    problem at the non-breaking space, or None when there is none there (inside quoted text
    it is a fine character)."""
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is None:
        return None
    lines = text.split("\n")
    for index in (mark.line, mark.line - 1):
        if not 0 <= index < len(lines):
            continue
        line = lines[index]
        found = re.match(r"^[ \u00a0]*\u00a0", line) or re.match(r"^[ \u00a0]*(?:- )?[\w-]+:\u00a0", line)
        if found:
            return Problem(rel, index + 1, found.end(), "", "a non-breaking space is here (it looks like a space, "
                           "but YAML does not read it as one) — delete it and type a normal space")
    return None


def read_document(path: Path, rel: str) -> tuple[Document | None, list[Problem]]:
    """Read one content file.

    Returns ``(document, [])`` or ``(None, problems)``; never raises for bad content.
    Problems found: over-size files, non-UTF-8 bytes, YAML syntax errors, duplicate keys,
    aliases, custom tags, non-text keys, empty files, files whose top level is not a mapping.

    Parsing takes most of a content load (libyaml where PyYAML has it), so the result for the same path
    and the same bytes is remembered (:data:`_PARSED`): the live preview reloads the content on
    every save and parses only the files that changed. The returned document and list are
    shared with later calls for the same bytes: read them, never change them.
    """
    raw = path.read_bytes()
    key = (str(path), rel, raw)
    if key not in _PARSED:
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = _parse(path, rel, raw)
    return _PARSED[key]


#: Parsed files by (path, rel, bytes), oldest first; at most :data:`_PARSED_MAX` kept.
_PARSED: dict[tuple[str, str, bytes], tuple[Document | None, list[Problem]]] = {}
_PARSED_MAX = 512


def _parse(path: Path, rel: str, raw: bytes) -> tuple[Document | None, list[Problem]]:
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(rel, 0, 0, "", f"the file is {len(raw) // 1024} KB; content files may be at most {MAX_FILE_BYTES // 1024} KB — split it into smaller resources")]
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw.count(b"\x00") * 4 > len(raw):
        return None, [Problem(rel, 1, 1, "", "the file is saved as UTF-16 (Unicode) — save it with UTF-8 encoding (in VS Code: 'Save with Encoding' → UTF-8; in Notepad: Save As, Encoding: UTF-8)")]
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
    if _CONTROL.search(text):
        return None, _control_characters(rel, text)
    try:
        node = _compose(text)
    except yaml.YAMLError as exc:
        return None, [_nbsp_problem(rel, text, exc) or _yaml_problem(rel, exc)]
    if node is None:
        return None, [Problem(rel, 1, 1, "", _EMPTY)]
    doc = Document(path, rel, None, text)
    problems: list[Problem] = []
    doc.data = _to_data(node, (), doc, problems)
    if not problems and not isinstance(doc.data, dict):
        problems.append(Problem(rel, *_mark(node.start_mark), "", "the file must be a list of 'key: value' lines at the top level"))
    return (None if problems else doc), problems


#: What to do about an empty file (or one that holds only comments). An empty translation
#: file never gets here: the loader and the translations command check it first
#: (:func:`holds_nothing`) and write it again.
_EMPTY = ("the file is empty (or holds only comments) — start from the template for its kind in CONTRIBUTING.md "
          "('Add a new resource'), or copy an existing file of the same kind, and change it")


def holds_nothing(raw: bytes) -> bool:
    """True if the file ``raw`` is empty or holds only comments and blank lines (UTF-8, nothing
    YAML would read as a value): rewriting it, keeping its comments, loses nothing."""
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return False
    if _CONTROL.search(text):
        return False
    try:
        return _compose(text) is None
    except yaml.YAMLError:
        return False


#: Characters YAML does not allow anywhere in a file (what PyYAML's reader refuses): control
#: characters other than tab and line breaks, and a few non-characters.
_CONTROL = re.compile(yaml.reader.Reader.NON_PRINTABLE.pattern)

#: Names of the control characters editors meet, for messages.
_CONTROL_NAMES = {
    "\x00": "NUL, U+0000",
    "\x0b": "vertical tab, U+000B, which Word puts in for Shift+Enter",
    "\x0c": "form feed, U+000C, a page break",
    "\x1b": "escape, U+001B",
    "\x7f": "delete, U+007F",
}


def _control_characters(rel: str, text: str) -> list[Problem]:
    """One problem per invisible control character in ``text`` (at most 20), each at its line
    and column and, when the rest of the file reads, with the field whose line holds it."""
    try:
        root = _compose(_CONTROL.sub(" ", text))
    except yaml.YAMLError:
        root = None
    out = []
    for found in list(_CONTROL.finditer(text))[:20]:
        i, char = found.start(), found.group()
        line_start = text.rfind("\n", 0, i) + 1
        in_comment = text[line_start:i].lstrip().startswith("#")
        where = format_loc(_loc_at(root, i)) if root is not None and not in_comment else ""
        name = _CONTROL_NAMES.get(char, f"U+{ord(char):04X}")
        out.append(Problem(rel, text.count("\n", 0, i) + 1, i - line_start + 1, where,
                           f"an invisible control character is here ({name}) — delete it or retype the text around it"))
    return out


def _loc_at(node: yaml.Node, index: int) -> Loc:
    """The path of the innermost value of the tree ``node`` whose entry starts at or before the
    character at ``index`` (the last such key of a mapping, item of a list)."""
    loc: Loc = ()
    while isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
        if isinstance(node, yaml.MappingNode):
            entries = [(k.value, k.start_mark.index, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)]
        else:
            entries = [(n, v.start_mark.index, v) for n, v in enumerate(node.value)]
        before = [(name, value) for name, start, value in entries if start <= index]
        if not before:
            break
        name, node = before[-1]
        loc += (name,)
    return loc


def _to_data(node: yaml.Node, loc: Loc, doc: Document, problems: list[Problem]) -> Any:
    doc.values[loc] = _mark(node.start_mark)
    field_name = format_loc(loc)
    if node.tag not in (_STR, _SEQ, _MAP):
        problems.append(Problem(doc.rel, *_mark(node.start_mark), field_name, f"YAML tags such as '{node.tag}' are not allowed — remove the '!…' part"))
        return None
    if isinstance(node, yaml.ScalarNode):
        plain = node.style in (None, "")   # libyaml marks plain scalars "", PyYAML None
        if plain and node.value in ("", "~", "null", "Null", "NULL"):
            return None
        if plain and " " in node.value:
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

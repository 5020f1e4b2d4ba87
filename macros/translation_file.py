"""The text of one translation file as ``python -m macros translations`` writes it, keeping the
translators' comments.

Layout (see :mod:`macros.i18n`)::

    # yaml-language-server: $schema=../../../../schemas/translation.schema.json
    # Spanish translation of content/resources/<id>.yml.
    # Translate each 'es:' line. …
    language: es
    id: <id>
    texts:
      # a translator's note stays above its entry
      phases.before.items.pick-a-career.text:
        en: "…"
        es: "…"

Comments a person wrote are never dropped: a whole-line comment stays above the entry that
follows it (or at the top, or at the end); a comment inside an entry (between its key and its
last value line, e.g. between ``en:`` and ``es:``) and a comment at the end of one of its lines
(``es: "…"  # note``) become whole-line comments above that entry. The comments of an entry
that is not written again (its English is gone and it had no translation) are kept at the end
of the file, under :data:`REMOVED_NOTES` and a line naming the entry. Only the four generated
header lines are rewritten. Rewriting the written text gives the same text (idempotent).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from macros import i18n

#: Starts of the generated header lines (rewritten each time, never kept as comments).
_HEADER = ("# yaml-language-server:", "# Translate each '")
_HEADER_RE = re.compile(r"^# (\w+ translation of \S+\.|changes, the check reports the entry as stale)")
_KEY_RE = re.compile(r"^  ([^\s#][^:]*):(?:\s+#\s?(.*))?\s*$")
_INLINE_RE = re.compile(r"""^\s+[\w-]+:\s*("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s"'#][^\n]*?)\s+#\s?(.*)$""")

#: The line above the notes of removed entries, at the end of the file.
REMOVED_NOTES = ("  # Notes of removed entries (their English is gone, so the entry was removed; "
                 "the note is kept here — delete it once it is not needed):")


def removed_note_heading(key: str) -> str:
    """The line above the kept notes of the removed entry ``key``."""
    return f"  # on the removed entry '{key}':"


@dataclass
class Comments:
    """Comments found in an existing file: ``top`` (before ``texts:``), ``by_key`` (above or
    on the lines of each entry) and ``end`` (after the last entry); each a list of lines."""

    top: list[str] = field(default_factory=list)
    by_key: dict[str, list[str]] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)


def comments_of(text: str) -> Comments:
    """The comments a person wrote in ``text`` (an existing translation file)."""
    out = Comments()
    pending: list[str] = []
    in_texts = False
    current = None
    # only YAML's line breaks: splitlines() would also cut a text at U+2028, U+0085 …
    lines = [line.rstrip("\r") for line in re.split(r"\r\n|\r|\n", text)]
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not in_texts:
            if stripped.startswith("#") and not stripped.startswith(_HEADER) and not _HEADER_RE.match(stripped):
                out.top.append(stripped)
            if line.startswith("texts:"):
                in_texts = True
            continue
        if stripped.startswith("#"):
            if current is not None and _inside_entry(lines, i):
                out.by_key.setdefault(current, []).append("  " + stripped)
            else:
                pending.append("  " + stripped)
            continue
        key = _KEY_RE.match(line)
        if key:
            current = key.group(1).strip().strip("'\"")   # a key written in quotes
            out.by_key.setdefault(current, []).extend(pending)
            pending = []
            if key.group(2) is not None:
                out.by_key[current].append("  # " + key.group(2).strip())
            continue
        inline = _INLINE_RE.match(line)
        if inline and current is not None:
            out.by_key.setdefault(current, []).append("  # " + inline.group(2).strip())
    out.end = pending
    return out


def _inside_entry(lines: list[str], i: int) -> bool:
    """True if the comment on ``lines[i]`` is inside an entry: the next line that is neither
    blank nor a comment is indented deeper than an entry's key (one of its value lines)."""
    for line in lines[i + 1:]:
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            return len(line) - len(line.lstrip(" ")) > 2
    return False


def render(ident: str, lang: str, english_file: str, schema: str, texts: dict[str, dict[str, str]],
           comments: Comments | None = None) -> str:
    """The whole file: generated header, kept top comments, ``language``/``id``, then one entry
    per key of ``texts`` (``{"en": …, lang: …}``, written as JSON strings) with its kept
    comments above it, then the kept end comments. Comments of keys not in ``texts`` (entries
    removed because their English is gone) go with them."""
    comments = comments or Comments()
    lines = [f"# yaml-language-server: $schema={schema}",
             f"# {i18n.LANGUAGE_NAMES[lang]} translation of {english_file}.",
             "# Translate each '" + lang + ":' line. 'en:' is the English it was made from: when the English",
             "# changes, the check reports the entry as stale until you update '" + lang + ":' and copy the new English into 'en:'.",
             *comments.top,
             f"language: {lang}", f"id: {ident}", "texts:"]
    for key, entry in texts.items():
        lines += comments.by_key.get(key, [])
        lines.append(f"  {key}:")
        lines.append(f"    en: {json.dumps(entry['en'], ensure_ascii=False)}")
        lines.append(f"    {lang}: {json.dumps(entry[lang], ensure_ascii=False)}")
    lines += comments.end
    removed = [(key, notes) for key, notes in comments.by_key.items() if notes and key not in texts]
    if removed and REMOVED_NOTES not in comments.end:
        lines.append(REMOVED_NOTES)
    for key, notes in removed:
        lines.append(removed_note_heading(key))
        lines += notes
    return "\n".join(lines) + "\n"

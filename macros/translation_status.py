"""The translation status report: for each language and each content file, how many texts are
translated, stale, missing (shown in English) and unknown (entries whose English is gone), so
the district can see what to send for translation.

It is made from a loaded :class:`~macros.loader.Toolkit` (each edition's ``reports``, see
:func:`macros.i18n.translate`) and comes out three ways:

* :func:`text_table` — a small table ``python -m macros check`` prints;
* :func:`markdown_table` — the same as a Markdown table, appended to the GitHub Actions job
  summary (the file named by ``$GITHUB_STEP_SUMMARY``) by :func:`write_step_summary`;
* :func:`write_json` — ``translation-status.json`` at the root of the built site, for
  translators and their tools (schema: ``schemas/translation-status.schema.json``).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from macros import i18n
from macros.atomic import write_atomically
from macros.loader import Toolkit

#: Name of the JSON file at the site root.
STATUS_FILE = "translation-status.json"


@dataclass(frozen=True)
class Row:
    """One content file in one language. ``source``: the English file; ``translation``: the
    translation file (which may not exist yet); counts of texts: ``total`` in the English,
    ``translated`` (current), ``stale`` (English changed since), ``missing`` (shown in
    English), ``unknown`` (entries the English no longer has)."""

    language: str
    id: str
    source: str
    translation: str
    exists: bool
    total: int
    translated: int
    stale: int
    missing: int
    unknown: int


def rows(toolkit: Toolkit) -> list[Row]:
    """One :class:`Row` per language (other than English) and content file: site first, then
    activities and resources in toolkit order."""
    out = []
    english_sources = {"site": "content/site.yml", **toolkit.sources}
    for lang, edition in toolkit.editions.items():
        for cid, report in edition.reports.items():
            path = edition.sources.get(cid, "")
            out.append(Row(
                language=lang, id=cid, source=english_sources.get(cid, ""), translation=path,
                exists=(toolkit.root / path).is_file() if path else False, total=report.total,
                translated=report.translated, stale=len(report.stale), missing=len(report.missing),
                unknown=len(report.unknown),
            ))
    return out


def _totals(items: list[Row]) -> dict[str, int]:
    return {k: sum(getattr(r, k) for r in items) for k in ("total", "translated", "stale", "missing", "unknown")}


_COLUMNS = ("translated", "stale", "missing", "unknown")


def text_table(toolkit: Toolkit) -> str:
    """A plain-text table for the terminal: one line per content file that is not fully
    translated, then one total line per language. Example::

        Translation status (es)      translated  stale  missing  unknown
        resources/new-checklist               0      0       12        0
        es: all 9 files                     180      1       12        0
    """
    lines = []
    all_rows = rows(toolkit)
    for lang in toolkit.editions:
        mine = [r for r in all_rows if r.language == lang]
        width = max([len(r.id) for r in mine] + [24])
        lines.append(f"{'Translation status (' + lang + ')':<{width}}  " + "  ".join(f"{c:>10}" for c in _COLUMNS))
        for r in mine:
            if r.stale or r.missing or r.unknown:
                lines.append(f"{r.id:<{width}}  " + "  ".join(f"{getattr(r, c):>10}" for c in _COLUMNS))
        totals = _totals(mine)
        label = f"{lang}: all {len(mine)} files"
        lines.append(f"{label:<{width}}  " + "  ".join(f"{totals[c]:>10}" for c in _COLUMNS))
    return "\n".join(lines)


def markdown_table(toolkit: Toolkit) -> str:
    """The status as Markdown (a heading and one table per language, every file listed)."""
    out = []
    for lang in toolkit.editions:
        mine = [r for r in rows(toolkit) if r.language == lang]
        totals = _totals(mine)
        out.append(f"### Translation status: {i18n.LANGUAGE_NAMES.get(lang, lang)} ({lang})\n")
        out.append("| File | Translated | Stale | Missing (shown in English) | Unknown |")
        out.append("|---|---:|---:|---:|---:|")
        for r in mine:
            name = f"`{r.source}`" + ("" if r.exists else " (no translation file yet)")
            out.append(f"| {name} | {r.translated} | {r.stale} | {r.missing} | {r.unknown} |")
        out.append(f"| **All {len(mine)} files** | **{totals['translated']}** | **{totals['stale']}** | **{totals['missing']}** | **{totals['unknown']}** |\n")
    return "\n".join(out) + "\n"


def as_json(toolkit: Toolkit) -> dict:
    """The report as the data of ``translation-status.json``::

        {"source_language": "en",
         "languages": {"es": {"totals": {...counts...},
                              "files": [{"id", "source", "translation", "exists",
                                         "total", "translated", "stale", "missing", "unknown"}]}}}
    """
    out: dict = {"source_language": toolkit.language, "languages": {}}
    for lang in toolkit.editions:
        mine = [r for r in rows(toolkit) if r.language == lang]
        files = [{k: v for k, v in asdict(r).items() if k != "language"} for r in mine]
        out["languages"][lang] = {"totals": _totals(mine), "files": files}
    return out


def write_json(site_dir: Path, toolkit: Toolkit) -> Path:
    """Write ``translation-status.json`` at the root of ``site_dir`` (written whole to a
    temporary file, then renamed). Returns its path."""
    path = Path(site_dir) / STATUS_FILE
    write_atomically(path, json.dumps(as_json(toolkit), indent=1, ensure_ascii=False) + "\n")
    return path


def write_step_summary(toolkit: Toolkit, environ: dict | None = None) -> bool:
    """Append :func:`markdown_table` to the file named by ``GITHUB_STEP_SUMMARY`` (GitHub
    Actions' job summary, https://docs.github.com/actions/reference/workflow-commands-for-github-actions#adding-a-job-summary).
    Returns False (and writes nothing) when the variable is not set."""
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if not target:
        return False
    with open(target, "a", encoding="utf-8") as fh:
        fh.write(markdown_table(toolkit))
    return True


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of ``translation-status.json``."""
    count = {"type": "integer", "minimum": 0}
    counts = {k: count for k in ("total", "translated", "stale", "missing", "unknown")}
    file_entry = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "source", "translation", "exists", *counts],
        "properties": {
            "id": {"type": "string", "description": "Id of the content file (`site` for content/site.yml)."},
            "source": {"type": "string", "description": "The English file, relative to the project root."},
            "translation": {"type": "string", "description": "The translation file (it may not exist yet)."},
            "exists": {"type": "boolean", "description": "Whether the translation file exists."},
            **{k: {**count, "description": d} for k, d in {
                "total": "Translatable texts in the English file.",
                "translated": "Texts with a current translation.",
                "stale": "Translated texts whose English changed since (still shown translated).",
                "missing": "Texts with no translation yet (shown in English).",
                "unknown": "Entries whose English is gone (not shown; the translations command removes them).",
            }.items()},
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "WBL Toolkit translation status (translation-status.json)",
        "type": "object",
        "additionalProperties": False,
        "required": ["source_language", "languages"],
        "properties": {
            "source_language": {"type": "string"},
            "languages": {
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["totals", "files"],
                    "properties": {
                        "totals": {"type": "object", "additionalProperties": False, "required": list(counts), "properties": counts},
                        "files": {"type": "array", "items": file_entry},
                    },
                },
            },
        },
    }

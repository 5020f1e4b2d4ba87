"""Content problems on the pull request's own lines: GitHub Actions workflow commands and the
job summary.

Under GitHub Actions (``GITHUB_ACTIONS=true``) every problem that ``python -m macros check``
or ``build`` finds is *also* printed to standard output as a workflow command::

    ::error file=content/resources/x.yml,line=12,col=5,title=phases[0].items[2].text::is empty — …
    ::warning file=content/resources/y.yml,line=3,col=1,title=title::no Spanish translation yet …

GitHub turns each into an annotation on that line of the pull request's "Files changed" view
(and in the run's summary). Problems are also listed as a Markdown table in the job summary,
the file named by ``GITHUB_STEP_SUMMARY``.

Escaping follows GitHub's toolkit (``actions/toolkit``, ``packages/core/src/command.ts``:
``escapeData`` and ``escapeProperty``): in the message ``%`` → ``%25``, CR → ``%0D``,
LF → ``%0A``; in property values also ``:`` → ``%3A`` and ``,`` → ``%2C``. Documentation:
https://docs.github.com/actions/reference/workflow-commands-for-github-actions
"""
from __future__ import annotations

import os
import re
from typing import Iterable, TextIO

from macros.loader import Problem


def in_github_actions(environ: dict | None = None) -> bool:
    """True when running as a GitHub Actions step (``GITHUB_ACTIONS=true``)."""
    return (environ if environ is not None else os.environ).get("GITHUB_ACTIONS") == "true"


def escape_data(text: str) -> str:
    """Escape the message part of a workflow command (after the final ``::``)."""
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value of a workflow command (``file=…``, ``title=…``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(problem: Problem, level: str = "error") -> str:
    """One workflow command line for ``problem``; ``level`` is ``"error"`` or ``"warning"``.
    ``line``/``col`` are left out when unknown (0), ``title`` when the problem has no field."""
    props = [f"file={escape_property(problem.file)}"]
    if problem.line:
        props.append(f"line={problem.line}")
        if problem.column:
            props.append(f"col={problem.column}")
    if problem.field:
        props.append(f"title={escape_property(problem.field)}")
    return f"::{level} {','.join(props)}::{escape_data(problem.message)}"


#: Environment variable (set for later steps through ``$GITHUB_ENV``) holding a fingerprint of
#: the problems already reported in this job: ``make check`` then ``make build`` in one job
#: report the same content once, not twice.
REPORTED = "TOOLKIT_CI_REPORTED"


def already_reported(key: str, environ: dict | None = None) -> bool:
    """True when an earlier step of this job reported the problems fingerprinted ``key``;
    otherwise records ``key`` for later steps (in ``$GITHUB_ENV``) and returns False."""
    env = environ if environ is not None else os.environ
    if env.get(REPORTED) == key:
        return True
    if env.get("GITHUB_ENV"):
        with open(env["GITHUB_ENV"], "a", encoding="utf-8") as fh:
            fh.write(f"{REPORTED}={key}\n")
    return False


def fingerprint(errors: Iterable[Problem], warnings: Iterable[Problem]) -> str:
    """A short hash of the problems (and their order)."""
    import hashlib

    text = "\n".join(["E " + str(p) for p in errors] + ["W " + str(p) for p in warnings])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def annotate(errors: Iterable[Problem], warnings: Iterable[Problem] = (), out: TextIO | None = None,
             environ: dict | None = None) -> bool:
    """Under GitHub Actions, print a workflow command per problem to ``out`` (default: standard
    output) and append :func:`summary_table` to the job summary, unless an earlier step of the
    job reported the same problems (:func:`already_reported`). Does nothing elsewhere.
    Returns True when it reported (so the caller may add its own part of the summary once)."""
    if not in_github_actions(environ):
        return False
    import sys

    out = out or sys.stdout
    errors, warnings = list(errors), list(warnings)
    if already_reported(fingerprint(errors, warnings), environ):
        return False
    for p in errors:
        print(command(p, "error"), file=out)
    for p in warnings:
        print(command(p, "warning"), file=out)
    out.flush()
    target = (environ if environ is not None else os.environ).get("GITHUB_STEP_SUMMARY")
    if target and (errors or warnings):
        with open(target, "a", encoding="utf-8") as fh:
            fh.write(summary_table(errors, warnings))
    return True


_MESSAGE_RE = re.compile(r"^(content/[^:\s]+\.ya?ml)(?::(\d+):(\d+))?: (?:([a-z_][\w.\[\]]*): )?(.*)$", re.S)


def problems_from_messages(root, messages: Iterable[str]) -> list[Problem]:
    """Build-stage messages that start with a content file (``content/resources/x.yml:10:1:
    max_pages: …``, as the PDF stage writes them) as :class:`Problem` s, at the line and column
    the message gives or else at the line of the named key when the file can be read; other
    messages are skipped."""
    from pathlib import Path

    from macros.loader import read_document

    out = []
    for message in messages:
        match = _MESSAGE_RE.match(message.strip())
        if not match:
            continue
        rel, given_line, given_col, field, text = match.groups()
        line, col = (int(given_line), int(given_col)) if given_line else (0, 0)
        path = Path(root) / rel
        if field and not line and path.is_file():
            doc, _ = read_document(path, rel)
            if doc is not None:
                line, col = doc.pos(tuple(int(x) if x.isdigit() else x for x in re.findall(r"[^.\[\]]+", field)))
        out.append(Problem(rel, line, col, field or "", text))
    return out


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell (no pipes, no line breaks, no HTML)."""
    return (str(text).replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")
            .replace("<", "&lt;").replace(">", "&gt;"))


def summary_table(errors: list[Problem], warnings: list[Problem]) -> str:
    """The problems as a Markdown table for the job summary: level, file and line, field,
    message; errors first."""
    lines = [f"### Content check: {len(errors)} error{'s' if len(errors) != 1 else ''}, "
             f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}\n",
             "| | File | Line | Field | Problem |", "|---|---|---:|---|---|"]
    for level, items in (("❌ error", errors), ("⚠️ warning", warnings)):
        for p in items:
            lines.append(f"| {level} | `{_cell(p.file)}` | {p.line or ''} | {('`' + _cell(p.field) + '`') if p.field else ''} | {_cell(p.message)} |")
    return "\n".join(lines) + "\n\n"

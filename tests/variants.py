"""Content-only changes made to a fixture project (tests/fixtures/base), as an editor would
make them: renaming a resource (keeping its old id in ``former_ids``) and adding a second
activity that shares the evaluation. No code changes: only files under ``content/``."""
from __future__ import annotations

import re

from pathlib import Path

from conftest import fill_translations

#: The resource renamed by :func:`rename_resource` in the variant build, and its new id/title.
RENAMED_OLD = "site-visit-research-worksheet"
RENAMED_NEW = "site-visit-research-notes"
RENAMED_TITLE = "Site Visit Research Notes"

#: The second activity added by :func:`add_job_shadowing`, the id it had before (as if it had
#: been published under that id and renamed), its new checklist and the shared form.
SECOND_ACTIVITY = "job-shadowing"
SECOND_FORMER = "job-shadow-days"
SECOND_CHECKLIST = "job-shadowing-student-checklist"
SHARED = "activity-evaluation"
#: The fixture's first activity.
FIRST_ACTIVITY = "site-visits"

_JOB_SHADOWING = """\
# yaml-language-server: $schema=../../schemas/activity.schema.json
id: job-shadowing
former_ids: [job-shadow-days]
title: "Job Shadowing"
stage: stage-two
definition: "In job shadowing, a student spends part of a day following a professional through their work."
introduction:
  - "Students watch real work happen, ask questions between tasks and see what a normal day looks like."
sections:
  - id: purpose
    title: "Purpose"
    lead: "Job shadowing helps students:"
    points:
      - "See the daily tasks of a job up close."
      - "Ask a professional about their work, in their workplace."
tools_introduction: "Use these with students and hosts before and after the visit."
tools:
  - id: checklists
    title: "Checklists"
    resources:
      - job-shadowing-student-checklist
  - id: implementation-tools
    title: "Implementation Tools"
    resources:
      - activity-evaluation
revised: 2026-11-20
"""

_CHECKLIST = """\
# yaml-language-server: $schema=../../schemas/resource.schema.json
id: job-shadowing-student-checklist
kind: checklist
title: "Student Job Shadowing Checklist"
audiences: [student]
summary: "What to do before, during and after a job shadowing day."
revised: 2026-11-20
max_pages: 1
related:
  - activity-evaluation
phases:
  - id: before
    title: "Before the visit"
    items:
      - id: research-host
        text: "Read about the workplace and the person you will shadow."
      - id: plan-trip
        text: "Plan your trip so you arrive about 10 minutes early."
  - id: after
    title: "After the visit"
    items:
      - id: thank-host
        text: "Send your host a short thank-you note within two days."
"""


def replace_id(text: str, old: str, new: str) -> str:
    """Replace every whole-id occurrence of ``old`` in ``text`` with ``new``."""
    return re.sub(rf"(?<![a-z0-9-]){re.escape(old)}(?![a-z0-9-])", new, text)


def rename_resource(project: Path, old: str = RENAMED_OLD, new: str = RENAMED_NEW, title: str | None = RENAMED_TITLE) -> None:
    """Rename resource ``old`` to ``new`` the way README's "Renaming an id" says: rename the
    file, change ``id:``, list ``old`` under ``former_ids:``, and update every reference."""
    content = project / "content"
    src = content / "resources" / f"{old}.yml"
    src.rename(content / "resources" / f"{new}.yml")
    for path in content.rglob("*.yml"):  # the id itself, and every reference to it
        body = path.read_text(encoding="utf-8")
        changed = replace_id(body, old, new)
        if changed != body:
            path.write_text(changed, encoding="utf-8")
    dest = content / "resources" / f"{new}.yml"
    text = re.sub(r"(?m)^id: .*$", lambda m: f"{m.group(0)}\nformer_ids: [{old}]", dest.read_text(encoding="utf-8"), count=1)
    if title:
        text = re.sub(r'(?m)^title: ".*"$', f'title: "{title}"', text, count=1)
    dest.write_text(text, encoding="utf-8")
    fill_translations(project)  # the Spanish file follows the rename (it is found by former id)


def add_second_activity(project: Path) -> None:
    """Add the Job Shadowing activity (one new checklist, plus the shared evaluation) and link
    it from the continuum."""
    content = project / "content"
    (content / "activities" / f"{SECOND_ACTIVITY}.yml").write_text(_JOB_SHADOWING, encoding="utf-8")
    (content / "resources" / f"{SECOND_CHECKLIST}.yml").write_text(_CHECKLIST, encoding="utf-8")
    site = content / "site.yml"
    text = site.read_text(encoding="utf-8")
    anchor = '        - title: "Job shadowing"\n'
    assert anchor in text
    site.write_text(text.replace(anchor, anchor + f"          activity: {SECOND_ACTIVITY}\n"), encoding="utf-8")
    fill_translations(project)

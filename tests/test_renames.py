"""Renaming keeps old links alive: ``former_ids`` in content, checked by the loader so every
old URL leads to exactly one place."""
from __future__ import annotations

import pytest

from macros.loader import load_toolkit
from test_content_errors import ACTIVITY, CHECKLIST, edit, line_of, problems
from variants import RENAMED_NEW, RENAMED_OLD, rename_resource

RENAMED = f"content/resources/{RENAMED_NEW}.yml"


def test_renamed_resource_loads_with_its_former_id(project):
    rename_resource(project)
    toolkit = load_toolkit(project)
    assert RENAMED_OLD not in toolkit.resources
    assert toolkit.resources[RENAMED_NEW].former_ids == [RENAMED_OLD]
    # every reference followed the rename, so the toolkit order is unchanged
    assert list(toolkit.resources).index(RENAMED_NEW) == 5


def test_former_id_that_is_a_current_id_is_refused(project):
    edit(project, CHECKLIST, "kind: checklist\n", f"former_ids: [{RENAMED_OLD}]\nkind: checklist\n")
    line = line_of(project, CHECKLIST, "former_ids:")
    assert (f"{CHECKLIST}:{line}:14: former_ids[0]: '{RENAMED_OLD}' is the id of a current resource "
            f"(content/resources/{RENAMED_OLD}.yml), so its old links cannot redirect here") in problems(project)


def test_former_id_claimed_by_two_resources_is_refused(project):
    rename_resource(project)
    edit(project, CHECKLIST, "kind: checklist\n", f"former_ids: [{RENAMED_OLD}]\nkind: checklist\n")
    report = problems(project)
    assert f"former_ids[0]: '{RENAMED_OLD}' is already a former id in" in report
    assert report.count("is already a former id") == 1


def test_own_id_as_former_id_is_refused(project):
    edit(project, CHECKLIST, "kind: checklist\n", "former_ids: [informational-interview-student-checklist]\nkind: checklist\n")
    assert "'former_ids' lists 'informational-interview-student-checklist', the current id" in problems(project)


def test_activity_former_id_that_is_a_current_id_is_refused(project):
    (project / "content/activities/job-shadowing.yml").write_text(
        (project / ACTIVITY).read_text(encoding="utf-8")
        .replace("id: informational-interviews", "id: job-shadowing\nformer_ids: [informational-interviews]")
        .replace('title: "Informational Interviews"', 'title: "Job Shadowing"'),
        encoding="utf-8",
    )
    report = problems(project)
    assert "content/activities/job-shadowing.yml:3:14: former_ids[0]: 'informational-interviews' is the id of a current activity" in report


@pytest.mark.parametrize("where", ["tools", "related", "link"])
def test_reference_to_a_former_id_names_the_new_id(project, where):
    rename_resource(project)
    if where == "tools":
        edit(project, ACTIVITY, f"- {RENAMED_NEW}", f"- {RENAMED_OLD}")
    elif where == "related":
        edit(project, CHECKLIST, f"  - {RENAMED_NEW}", f"  - {RENAMED_OLD}")
    else:
        edit(project, CHECKLIST, "Do the *Informational Interview Research Activity*.", f"Do the [research worksheet](resource:{RENAMED_OLD}).")
    lines = [line for line in problems(project).splitlines() if "renamed" in line]
    assert len(lines) == 1
    assert RENAMED_OLD in lines[0]
    assert lines[0].endswith(f"— it was renamed to '{RENAMED_NEW}' (see former_ids in {RENAMED}); use the new id"
                             + (" (resources live in content/resources/<id>.yml)" if where == "tools" else ""))

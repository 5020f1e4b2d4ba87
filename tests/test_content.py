"""The shipped content loads, and matches the content brief."""
from __future__ import annotations

import pytest

from brief import ORDER, RESOURCES
from helpers import item_count
from macros import model as m


def test_every_content_file_loads(toolkit):
    assert "informational-interviews" in toolkit.activities
    assert toolkit.activities["informational-interviews"].resource_ids == ORDER  # as the activity lists them
    assert set(ORDER) <= set(toolkit.resources)
    assert set(toolkit.sources.values()) >= {f"content/resources/{rid}.yml" for rid in ORDER}


@pytest.mark.parametrize("rid", ORDER)
def test_resource_matches_brief(toolkit, rid):
    title, kind, audiences, (lo, hi), counts = RESOURCES[rid]
    r = toolkit.resources[rid]
    assert r.title == title
    assert r.kind == kind
    assert r.audiences == audiences
    assert lo <= r.max_pages <= hi or r.max_pages == hi
    if counts:
        assert counts[0] <= item_count(r) <= counts[1], f"{rid}: {item_count(r)} items"


def test_activity_page_structure(toolkit):
    a = toolkit.activities["informational-interviews"]
    assert a.stage == "career-exploration"
    assert [s.title for s in a.sections] == ["Purpose", "Structure", "Format", "Outcomes"]
    assert [g.title for g in a.tools] == ["Checklists", "Tip and Fact Sheets", "Implementation Tools"]
    structure = a.sections[1]
    assert len(structure.points) >= 2  # the seed page merges two bullets; we keep them apart


def test_continuum_has_three_stages_in_order(toolkit):
    stages = toolkit.site.continuum.stages
    assert [s.id for s in stages] == ["career-awareness", "career-exploration", "career-development"]
    exploration = stages[1]
    assert any(x.activity == "informational-interviews" for x in exploration.activities)


def test_evaluation_has_scale_with_na_and_role_items(toolkit):
    ev = toolkit.resources["wbl-activity-evaluation"]
    grids = [p.rating for p in ev.parts if p.rating]
    assert [p.value for p in grids[0].scale] == ["1", "2", "3", "4", "5"]
    assert grids[0].not_applicable == "N/A"
    roles = {r for i in grids[0].items for r in i.roles}
    assert {"teacher", "coordinator", "host"} <= roles
    assert "informational interview" not in str(ev.model_dump()).lower().replace("informational-interview", "")


def test_no_retired_video_products_named(toolkit):
    text = " ".join(str(x.model_dump()) for x in [*toolkit.resources.values(), *toolkit.activities.values()]).lower()
    for product in ("skype", "facetime", "face-time"):
        assert product not in text


def test_committed_json_schemas_match_the_model():
    """`python -m macros schemas` was run after the last model change."""
    import json

    from conftest import ROOT
    from macros.__main__ import json_schemas

    for name, schema in json_schemas().items():
        committed = json.loads((ROOT / "schemas" / name).read_text(encoding="utf-8"))
        assert committed == schema, f"schemas/{name} is stale: run `.venv/bin/python -m macros schemas`"


def test_every_content_file_names_its_schema():
    from conftest import ROOT

    for path in (ROOT / "content").rglob("*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        rel = path.relative_to(ROOT / "content")
        up = "../" * len(rel.parts)
        if rel.parts[0] == "translations":
            kind = "glossary" if path.name == "glossary.yml" else "translation"
        else:
            kind = "site" if path.name == "site.yml" else path.parent.name.rstrip("s").replace("activitie", "activity")
        assert first == f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json", path

"""The first draft's content brief (../shared/content-brief.md): exact titles, kinds,
audiences, page ranges and item counts of the Informational Interviews resources.

NOT part of the blocking suite (pytest collects only ``test_*.py``): content editors may
retitle, add and remove items freely. Run it on purpose when the district wants to compare the
content with the brief:

    .venv/bin/pytest tests/brief_checks.py
"""
from __future__ import annotations

import pytest

from helpers import m, urls

#: id -> (title, kind, audiences, (min_pages, max_pages), (min_items, max_items))
RESOURCES = {
    "informational-interview-wbl-specialist-checklist": ("WBL Specialist Informational Interview Checklist", "checklist", ["wbl-specialist"], (1, 2), (18, 24)),
    "informational-interview-student-checklist": ("Student Informational Interview Checklist", "checklist", ["student"], (1, 1), (12, 20)),
    "informational-interview-teacher-tip-sheet": ("Teacher Informational Interview Tip Sheet", "tip-sheet", ["teacher"], (1, 1), (8, 12)),
    "informational-interview-employer-tip-sheet": ("Employer Informational Interview Tip Sheet", "tip-sheet", ["employer"], (1, 1), (8, 12)),
    "informational-interview-employer-fact-sheet": ("Employer Informational Interview Fact Sheet", "fact-sheet", ["employer"], (1, 2), (6, 10)),
    "informational-interview-research-activity": ("Informational Interview Research Activity", "worksheet", ["student"], (2, 2), (20, 30)),
    "informational-interview-student-reflection": ("Informational Interview Student Reflection", "reflection", ["student"], (1, 2), (8, 12)),
    "wbl-activity-evaluation": ("Work-Based Learning Activity Evaluation (for teacher, coordinator, or host)", "evaluation", ["teacher", "wbl-specialist", "employer"], (1, 2), None),
}
ORDER = list(RESOURCES)


def item_count(r) -> int:
    """How many items a resource has, counted the way the content brief counts them."""
    if isinstance(r, m.Checklist):
        return sum(len(p.items) for p in r.phases)
    if isinstance(r, m.TipSheet):
        return len(r.tips)
    if isinstance(r, m.FactSheet):
        return len(r.sections)
    if isinstance(r, m.Reflection):
        return sum(len(p.fields) + (1 if p.rating else 0) for p in r.parts[1:])
    return sum(len(p.fields) for p in r.parts)


def test_the_brief_s_resources_in_its_order(toolkit):
    assert list(toolkit.activities) == ["informational-interviews"]
    assert list(toolkit.resources) == ORDER


@pytest.mark.parametrize("rid", ORDER)
def test_resource_matches_brief(toolkit, rid):
    title, kind, audiences, (lo, hi), counts = RESOURCES[rid]
    r = toolkit.resources[rid]
    assert (r.title, r.kind, r.audiences) == (title, kind, audiences)
    assert lo <= r.max_pages <= hi
    if counts:
        assert counts[0] <= item_count(r) <= counts[1], f"{rid}: {item_count(r)} items"


@pytest.mark.parametrize("rid", ORDER)
def test_pdf_length_matches_brief(site, rid):
    import pypdf

    lo, hi = RESOURCES[rid][3]
    assert lo <= len(pypdf.PdfReader(site / urls.resource_pdf(rid)).pages) <= hi


def test_activity_page_structure(toolkit):
    a = toolkit.activities["informational-interviews"]
    assert a.stage == "career-exploration"
    assert [s.title for s in a.sections] == ["Purpose", "Structure", "Format", "Outcomes"]
    assert [g.title for g in a.tools] == ["Checklists", "Tip and Fact Sheets", "Implementation Tools"]


def test_continuum_has_the_brief_s_three_stages(toolkit):
    assert [s.id for s in toolkit.site.continuum.stages] == ["career-awareness", "career-exploration", "career-development"]


def test_evaluation_is_generic_with_role_items(toolkit):
    ev = toolkit.resources["wbl-activity-evaluation"]
    roles = {r for p in ev.parts if p.rating for i in p.rating.items for r in i.roles}
    assert {"teacher", "coordinator", "host"} <= roles
    assert "informational interview" not in str(ev.model_dump()).lower().replace("informational-interview", "")


def test_no_retired_video_products_named(toolkit):
    text = " ".join(str(x.model_dump()) for x in [*toolkit.resources.values(), *toolkit.activities.values()]).lower()
    for product in ("skype", "facetime", "face-time"):
        assert product not in text

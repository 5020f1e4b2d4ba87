"""What ../shared/content-brief.md asks of each resource: exact title, kind, audience, page
range and item-count range. The tests hold the content to it."""

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

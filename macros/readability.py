"""Reading level of each resource (Flesch–Kincaid grade, via ``textstat``).

Limits: resources for students at grade 8 or below, resources for adults at grade 10 or
below (plain-language guidance for public school communications; the content brief asks for
about grade 8 for students).
"""
from __future__ import annotations

from macros import model as m
from macros.render import plain_text

STUDENT_LIMIT = 8.0
ADULT_LIMIT = 10.0


def resource_sentences(r: m.ResourceBase) -> list[str]:
    """The reader-facing text of a resource as sentences (items and labels end with a full
    stop so each counts as a sentence, as a reader takes them)."""
    texts: list[str] = [r.summary, *r.introduction]
    if isinstance(r, m.Checklist):
        texts += [i.text for p in r.phases for i in p.items]
    elif isinstance(r, m.TipSheet):
        texts += [f"{t.title}. {t.text}" for t in r.tips]
    elif isinstance(r, m.FactSheet):
        for s in r.sections:
            texts += ([s.text] if s.text else []) + list(s.points) + [f"{f.label}: {f.value}" for f in s.facts]
    else:
        for part in r.parts:
            texts += ([part.instructions] if part.instructions else []) + [f.label for f in part.fields]
            texts += [f.hint for f in part.fields if f.hint]
            if part.rating:
                texts += [i.text for i in part.rating.items]
            if part.table:
                texts += [c.text for row in part.table.rows for c in row.cells]
    if isinstance(r, m.Agreement):
        texts += list(r.terms.points)
        for party in r.parties:
            texts += ([party.duties_lead] if party.duties_lead else []) + list(party.duties)
    if r.closing:
        texts.append(r.closing)
    out = []
    for t in texts:
        t = plain_text(t)
        out.append(t if t.endswith((".", "?", "!")) else t + ".")
    return out


def grade(r: m.ResourceBase) -> float:
    """Flesch–Kincaid grade of the resource's text."""
    import textstat

    return float(textstat.flesch_kincaid_grade(" ".join(resource_sentences(r))))


def limit(r: m.ResourceBase) -> float:
    """The grade a resource may not exceed: 8 if students read it, else 10."""
    return STUDENT_LIMIT if "student" in r.audiences else ADULT_LIMIT

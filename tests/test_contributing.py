"""CONTRIBUTING.md tells the truth: every ```yaml template is a resource that loads (and passes
yamllint and check-jsonschema), every message quoted in a ```text block is one the tools
really print for the mistake it explains, and the data dictionary names every key of the
model. The mistakes are made in a fixture project (tests/fixtures/base with
tests/fixtures/contributing laid over it: files named as in the guide's examples)."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, fill_translations, make_project, run_build
from helpers import ContentError, edit, load, m
from test_editor_tools import check_jsonschema, yamllint_errors

GUIDE = ROOT / "CONTRIBUTING.md"
CHECKLIST_ID = "informational-interview-student-checklist"
CHECKLIST = f"content/resources/{CHECKLIST_ID}.yml"
ACTIVITY = "content/activities/informational-interviews.yml"
REFLECTION = "content/resources/informational-interview-student-reflection.yml"
PHASE = '  - id: during\n    title: "During the interview"'
SPANISH = "Paso 2 (opcional): Preparación"
PACK = '"Pack a notebook, a pen and your list of questions."'


def blocks(language: str) -> list[str]:
    """Every fenced block of ``language`` in CONTRIBUTING.md, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```$", GUIDE.read_text(encoding="utf-8"), re.M | re.S)


def templates() -> list[tuple[str, dict]]:
    """(text, parsed) of every ```yaml block."""
    return [(b, yaml.safe_load(b)) for b in blocks("yaml")]


# -- templates -------------------------------------------------------------------------------


def test_there_is_one_template_per_resource_kind():
    kinds = [data["kind"] for _, data in templates()]
    assert sorted(kinds) == sorted(m.RESOURCE_KINDS)


def test_every_template_loads_as_a_new_resource(tmp_path):
    project = make_project(tmp_path / "p", "contributing")
    ids = []
    for text, data in templates():
        assert text.startswith("# yaml-language-server: $schema=../../schemas/resource.schema.json\n")
        (project / "content" / "resources" / f"{data['id']}.yml").write_text(text, encoding="utf-8")
        ids.append(data["id"])
    listed = "".join(f"\n      - {i}" for i in ids)
    edit(project, ACTIVITY, "- informational-interview-student-reflection", "- informational-interview-student-reflection" + listed)
    fill_translations(project)  # a new resource needs its Spanish file too (CONTRIBUTING says so)
    try:
        toolkit = load(project)
    except ContentError as exc:
        pytest.fail(exc.report())
    for text, data in templates():
        r = toolkit.resources[data["id"]]
        assert r.kind == data["kind"] and r.title == data["title"]
    files = [f"content/resources/{i}.yml" for i in ids]
    assert yamllint_errors(project, [project / f for f in files]) == []
    proc = check_jsonschema(project, "resource.schema.json", files)
    assert proc.returncode == 0, proc.stdout


# -- messages ----------------------------------------------------------------------------------


def _report(project: Path) -> list[str]:
    """What the check prints: its problems, or the warnings of content that loads."""
    try:
        toolkit = load(project)
    except ContentError as exc:
        return exc.report().splitlines()
    return [str(w) for w in toolkit.warnings]


def _yamllint(project: Path, rel: str) -> list[str]:
    """What ``yamllint rel`` prints (its standard format), from yamllint's Python API."""
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    conf = YamlLintConfig(file=str(project / ".yamllint"))
    try:
        found = list(linter.run((project / rel).read_text(encoding="utf-8"), conf, rel))
    except yaml.reader.ReaderError:   # yamllint stops with a traceback on a control character
        return []                     # (make check, which runs first, names it)
    return [rel] + [f"  {p.line}:{p.column}  {p.level}  {p.desc}  ({p.rule})" for p in found]


def _schema(project: Path, rel: str) -> list[str]:
    return check_jsonschema(project, "resource.schema.json", [rel]).stdout.splitlines()


#: Mistakes CONTRIBUTING.md explains: (file, old text, new text). Each is made in a fresh
#: copy of the project; what the loader, yamllint and check-jsonschema print is collected.
MISTAKES = [
    (CHECKLIST, 'title: "Student', 'titel: "Student'),
    (CHECKLIST, f"text: {PACK}", "text: Step 1: Prepare"),
    (CHECKLIST, f"text: {PACK}", "text: Pack questions #1-#10 from your list"),
    (CHECKLIST, f"text: {PACK}", f"text:\u00a0{PACK}"),
    (CHECKLIST, "      - id: pick-a-career", "\t- id: pick-a-career"),
    (CHECKLIST, f"text: {PACK}", 'text: "Pack a notebook,\x0ba pen and your list of questions."'),
    (CHECKLIST, "kind: checklist\n", 'kind: checklist\ntitle: "Another title"\n'),
    (CHECKLIST, f"text: {PACK}", 'text: "Pack a notebook, a pen and your list of questions.\n'),
    (CHECKLIST, f"text: {PACK}", "text: no"),
    (CHECKLIST, "revised: 2026-03-02", "revised: 11/20/2026"),
    (CHECKLIST, "max_pages: 1", "max_pages: one"),
    (CHECKLIST, "      - id: pack-supplies", "      - id: pick-a-career"),
    (CHECKLIST, f"text: {PACK}", 'text: "Pack [this](javascript:alert(1)) now."'),
    (CHECKLIST, f"text: {PACK}", 'text: "Read [the guide](www.example.org/guide) first."'),
    (CHECKLIST, "audiences: [student]", "audiences: [students]"),
    (ACTIVITY, "- informational-interview-student-checklist", "- informational-interview-studnet-checklist"),
    (ACTIVITY, "      - informational-interview-student-checklist\n", ""),
    (REFLECTION, '  - "Fill in this reflection', f'  - "See [Paso 2](resource:{CHECKLIST_ID}#paso-2-opcional-preparacion). Fill in this reflection'),
]


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> set[str]:
    """Every line the tools print for the MISTAKES, plus an empty file, a Latin-1 file and a
    sheet that prints one page too long (normalised: numbers -> N, whitespace collapsed).
    One project copy; each mistake is made, read and undone in turn."""
    project = make_project(tmp_path_factory.mktemp("mistakes") / "p", "contributing")
    fill_translations(project)
    originals = {rel: (project / rel).read_bytes() for rel in (CHECKLIST, ACTIVITY, REFLECTION)}
    lines: list[str] = []

    def undo() -> None:
        for rel, data in originals.items():
            (project / rel).write_bytes(data)

    for rel, old, new in MISTAKES:
        if rel == REFLECTION:
            edit(project, CHECKLIST, PHASE, f'  - id: paso-2\n    title: "{SPANISH}"')
        edit(project, rel, old, new)
        lines += _report(project) + _yamllint(project, rel)
        if rel == CHECKLIST and old.startswith("title"):
            lines += _schema(project, rel)
        undo()
    (project / CHECKLIST).write_text("# nothing yet\n", encoding="utf-8")
    lines += _report(project)
    undo()
    spanish = project / "content/translations/es/resources" / f"{CHECKLIST_ID}.yml"
    words = spanish.read_bytes()
    spanish.write_text("# nothing yet\n", encoding="utf-8")
    lines += _report(project)
    spanish.write_bytes(words)
    path = project / CHECKLIST
    path.write_bytes(path.read_text(encoding="utf-8").replace("Pack a notebook", "Pack a cuaderno de espa\u00f1ol").encode("latin-1"))
    lines += _report(project)
    undo()
    lines += _over_budget(project)
    return {_norm(line) for line in lines}


def _over_budget(project: Path) -> list[str]:
    """What ``python -m macros build`` prints when the checklist prints longer than its
    ``max_pages`` (the build is made to fail, so nothing is published)."""
    extra = "".join(f'\n      - id: extra-{i}\n        text: "Extra step number {i} to make the list too long for one page."' for i in range(40))
    edit(project, CHECKLIST, "    items:\n      - id: pick-a-career", "    items:" + extra + "\n      - id: pick-a-career")
    proc = run_build(project, "build", "--jobs", "2")
    assert proc.returncode == 1, proc.stderr
    return proc.stderr.splitlines()


def _norm(line: str) -> str:
    return re.sub(r"\d+", "N", " ".join(line.split()))


def test_every_quoted_message_is_real(printed):
    quoted = [line for b in blocks("text") for line in b.splitlines() if line.strip()]
    assert len(quoted) >= 15
    unknown = [line for line in quoted if _norm(line) not in printed]
    assert not unknown, "CONTRIBUTING.md quotes messages no tool prints:\n" + "\n".join(unknown)


def test_the_empty_file_message_points_here():
    assert "## Add a new resource" in GUIDE.read_text(encoding="utf-8")


# -- data dictionary -------------------------------------------------------------------------------


def test_data_dictionary_names_every_key_of_every_model():
    text = GUIDE.read_text(encoding="utf-8")
    models = {c for c in vars(m).values() if isinstance(c, type) and issubclass(c, m.Model) and c is not m.Model}
    for cls in models:
        for name, info in cls.model_fields.items():
            assert info.description, f"{cls.__name__}.{name} has no docstring"
            assert re.search(rf"^\| `{name}` \|.*\| {re.escape(info.description)} \|$", text, re.M), f"{cls.__name__}.{name}"

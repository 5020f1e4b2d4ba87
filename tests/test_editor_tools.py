"""The editor tools of .pre-commit-config.yaml — yamllint with .yamllint and check-jsonschema
with the committed schemas — pass on the shipped content, catch the mistakes they are there
for, and accept what the loader accepts (YAML 1.2 reads `1` as a number, `"1"` as text). Mistakes
are made in a fixture project (tests/fixtures/base)."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from yamllint import linter
from yamllint.config import YamlLintConfig

from conftest import ROOT
from helpers import edit, load
from test_content_errors import CHECKLIST, PACK

SCHEMAS = {  # content files -> the schema that checks them (as in .pre-commit-config.yaml)
    "site.schema.json": ["content/site.yml"],
    "activity.schema.json": sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content/activities").glob("*.yml")),
    "resource.schema.json": sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "content/resources").glob("*.yml")),
}
EVALUATION = "content/resources/activity-evaluation.yml"  # in the fixture project


def yaml_files(root: Path) -> list[Path]:
    """Every YAML file of the project that yamllint should see."""
    files = [*(root / "content").rglob("*.yml"), root / "mkdocs.yml", root / ".yamllint", root / ".pre-commit-config.yaml"]
    files += sorted((root / ".github" / "workflows").glob("*.yml"))
    return [f for f in files if f.exists()]


def yamllint_errors(root: Path, files: list[Path] | None = None) -> list[str]:
    """``file:line:col: message (rule)`` for every error-level problem yamllint finds with the
    project's .yamllint (warnings are tidiness and never fail)."""
    conf = YamlLintConfig(file=str(root / ".yamllint"))
    out = []
    for path in files or yaml_files(root):
        for p in linter.run(path.read_text(encoding="utf-8"), conf, str(path)):
            if p.level == "error":
                out.append(f"{path.relative_to(root)}:{p.line}:{p.column}: {p.desc} ({p.rule})")
    return out


def check_jsonschema(root: Path, schema: str, files: list[str]) -> subprocess.CompletedProcess:
    """Run check-jsonschema (from this virtualenv) on ``files`` against ``schemas/<schema>``."""
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(root / "schemas" / schema), *files],
        cwd=root, capture_output=True, text=True, timeout=120,
    )


def test_yamllint_passes_on_every_yaml_file():
    assert {ROOT / "content" / "site.yml", ROOT / "mkdocs.yml"} <= set(yaml_files(ROOT))
    assert yamllint_errors(ROOT) == []
    assert yamllint_errors(ROOT, sorted((ROOT / "tests" / "fixtures").rglob("*.yml"))) == []


def test_yamllint_catches_unquoted_yes_no_and_duplicate_keys(project):
    edit(project, CHECKLIST, f"text: {PACK}", "text: no")
    edit(project, CHECKLIST, "max_pages: 1\n", "max_pages: 1\nmax_pages: 010\n")
    errors = yamllint_errors(project, [project / CHECKLIST])
    assert any("truthy value should be one of [false, true] (truthy)" in e for e in errors), errors
    assert any('duplication of key "max_pages" in mapping (key-duplicates)' in e for e in errors), errors
    assert any('forbidden implicit octal value "010" (octal-values)' in e for e in errors), errors


def test_yamllint_tidiness_is_only_a_warning(project):
    edit(project, CHECKLIST, 'max_pages: 1\n', 'max_pages: 1   \n\n\n\n')
    assert yamllint_errors(project, [project / CHECKLIST]) == []


@pytest.mark.parametrize("schema", SCHEMAS)
def test_check_jsonschema_passes_on_the_content(schema):
    assert SCHEMAS[schema]
    proc = check_jsonschema(ROOT, schema, SCHEMAS[schema])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "ok -- validation done" in proc.stdout


def test_check_jsonschema_refuses_an_unknown_key(project):
    edit(project, CHECKLIST, 'title: "Student', 'titel: "Student')
    proc = check_jsonschema(project, "resource.schema.json", [CHECKLIST])
    assert proc.returncode == 1
    assert f"{CHECKLIST}::$: Additional properties are not allowed ('titel' was unexpected)" in proc.stdout
    assert f"{CHECKLIST}::$: 'title' is a required property" in proc.stdout


@pytest.mark.parametrize("old, new, expected", [
    ('kind: checklist', 'kind: checklst', "$.kind: 'checklst' is not one of ['checklist',"),
    ("revised: 2026-03-02", "revised: 11/20/2026", "$.revised: '11/20/2026' is not a 'date'"),
    ("max_pages: 1", "max_pages: 30", "$.max_pages: 30 is greater than the maximum of 20"),
    ("  - id: before", "  - id: Before", "$.phases[0].id: 'Before' does not match"),
    (f"text: {PACK}", "text: true", "True is not of type 'string', 'number'"),
])
def test_check_jsonschema_names_the_field(project, old, new, expected):
    edit(project, CHECKLIST, old, new)
    proc = check_jsonschema(project, "resource.schema.json", [CHECKLIST])
    assert proc.returncode == 1 and expected in proc.stdout, proc.stdout


def test_schemas_accept_what_the_loader_accepts(project):
    """Numbers where text is expected, digits in quotes where a whole number is expected and
    quoted dates: YAML 1.2 tools see numbers and strings, the loader sees text; both accept."""
    edit(project, EVALUATION, '- value: "1"', "- value: 1")
    edit(project, EVALUATION, 'label: "Strongly agree"', "label: 1.10")
    edit(project, EVALUATION, "max_pages: 1", 'max_pages: "1"')
    edit(project, EVALUATION, "revised: 2026-03-02", 'revised: "2026-03-02"')
    edit(project, EVALUATION, "lines: 2", 'lines: "2"')
    edit(project, CHECKLIST, f"text: {PACK}", "text: 12")
    toolkit = load(project)
    assert toolkit.resources["activity-evaluation"].parts[1].rating.scale[4].label == "1.10"
    proc = check_jsonschema(project, "resource.schema.json", [EVALUATION, CHECKLIST])
    assert proc.returncode == 0, proc.stdout


# -- .pre-commit-config.yaml --------------------------------------------------------------------


def _hooks() -> dict[str, dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}


def test_pre_commit_runs_each_schema_on_its_files_and_the_content_check():
    hooks = _hooks()
    content = [p.relative_to(ROOT).as_posix() for p in (ROOT / "content").rglob("*.yml")]
    for schema, files in SCHEMAS.items():
        [hook] = [h for h in hooks.values() if f"--schemafile schemas/{schema}" in h["entry"]]
        assert (ROOT / "schemas" / schema).is_file()
        assert sorted(f for f in content if re.search(hook["files"], f)) == files, hook["id"]
    check = hooks["macros-check"]
    assert check["entry"] == ".venv/bin/python -m macros check" and check["pass_filenames"] is False
    assert "yaml" in hooks["yamllint"]["types"]


def test_pre_commit_tools_are_pinned_and_installed():
    pins = dict(re.findall(r"^([A-Za-z0-9_.\-]+)==(\S+)$", (ROOT / "requirements.txt").read_text(), re.M))
    from importlib.metadata import version

    for tool in ("check-jsonschema", "yamllint", "pre-commit"):
        assert tool in pins, f"{tool} is not pinned in requirements.txt"
        assert version(tool) == pins[tool], f"{tool} {version(tool)} installed, {pins[tool]} pinned: run make setup"
    for hook in _hooks().values():
        exe = hook["entry"].split()[0]
        assert exe.startswith(".venv/bin/") and hook["language"] == "system", hook["id"]
        assert (Path(sys.executable).parent / Path(exe).name).exists(), exe

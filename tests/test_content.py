"""The shipped content passes the product's own check, every content file names its schema,
and the committed JSON Schemas are current. Nothing here quotes the shipped words."""
from __future__ import annotations

from conftest import ROOT, macros_command


def test_shipped_content_passes_the_check():
    """`make check` on the shipped content: exit 0, and every content file was read."""
    proc = macros_command(ROOT, "check")
    assert proc.returncode == 0, proc.stderr
    assert "Content OK" in proc.stderr


def test_every_content_file_is_loaded(toolkit):
    english = {p.relative_to(ROOT).as_posix() for p in (ROOT / "content").glob("*/*.yml")}
    assert english <= set(toolkit.sources.values()) | {"content/site.yml"}
    assert set(toolkit.activities) and set(toolkit.resources)
    listed = {rid for a in toolkit.activities.values() for rid in a.resource_ids}
    assert listed == set(toolkit.resources)  # every resource is reachable from an activity


def test_check_fails_on_broken_content(project):
    """The check above can fail: exit 2 and a problem naming file and line."""
    (project / "content/resources/site-visit-host-tip-sheet.yml").write_text("id: [\n", encoding="utf-8")
    proc = macros_command(project, "check")
    assert proc.returncode == 2
    assert "content/resources/site-visit-host-tip-sheet.yml:" in proc.stderr


def test_committed_json_schemas_and_data_dictionary_are_current(project):
    """`python -m macros schemas` was run after the last model change: running it again in a
    copy changes neither the schemas nor the data dictionary in CONTRIBUTING.md."""
    proc = macros_command(project, "schemas")
    assert proc.returncode == 0, proc.stderr
    for path in [*(ROOT / "schemas").glob("*.json"), ROOT / "CONTRIBUTING.md"]:
        rel = path.relative_to(ROOT)
        assert (project / rel).read_bytes() == path.read_bytes(), f"{rel} is stale: run `.venv/bin/python -m macros schemas`"


def test_every_content_file_names_its_schema():
    for base in (ROOT / "content", ROOT / "tests" / "fixtures" / "base" / "content"):
        for path in base.rglob("*.yml"):
            first = path.read_text(encoding="utf-8").splitlines()[0]
            rel = path.relative_to(base)
            up = "../" * len(rel.parts)
            if rel.parts[0] == "translations":
                kind = "glossary" if path.name == "glossary.yml" else "translation"
            else:
                kind = "site" if path.name == "site.yml" else path.parent.name.rstrip("s").replace("activitie", "activity")
            if not first.startswith("#") and rel.parts[0] in ("resources", "activities", "site.yml"):
                continue  # saved by the web editor, which writes no comments (.vscode/settings.json maps the schemas)
            assert first == f"# yaml-language-server: $schema={up}schemas/{kind}.schema.json", path


def test_vscode_maps_every_content_file_to_its_schema():
    """Files the web editor saved have no `$schema` first line; VS Code finds their schema by folder."""
    import fnmatch
    import json

    mapping = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))["yaml.schemas"]
    for path in (ROOT / "content").rglob("*.yml"):
        rel = path.relative_to(ROOT).as_posix()
        first = path.read_text(encoding="utf-8").splitlines()[0]
        matched = [schema for schema, globs in mapping.items()
                   if any(fnmatch.fnmatch(rel, g) and g.count("/") == rel.count("/") for g in ([globs] if isinstance(globs, str) else globs))]
        assert len(matched) == 1, rel
        assert (ROOT / matched[0]).is_file()
        if first.startswith("# yaml-language-server"):
            assert first.endswith(matched[0]), rel

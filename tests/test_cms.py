"""The web editor (/admin/): its configuration is generated from the model and valid for the CMS,
the build serves it with nothing from other hosts, and a save through it keeps the content valid.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, copy_project, fill_translations
from macros import cms
from macros import model as m

pytestmark = pytest.mark.skipif(not cms.CONFIG_SCHEMA.exists(), reason="npm package @sveltia/cms not installed (make setup)")


def test_committed_config_matches_the_model():
    """`python -m macros cms` was run after the last change to the model or to macros/cms.py."""
    assert cms.CONFIG_FILE.read_text(encoding="utf-8") == cms.render_config(), "admin/config.yml is stale: run `.venv/bin/python -m macros cms`"


def test_config_validates_against_the_cms_published_schema():
    config = yaml.safe_load(cms.CONFIG_FILE.read_text(encoding="utf-8"))
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in jsonschema.Draft7Validator(cms.config_schema()).iter_errors(config)]
    assert errors == []


def test_the_schema_check_catches_a_bad_config():
    """The validation above can fail: an unknown widget option is refused."""
    config = cms.cms_config()
    config["collections"][1]["fields"][1]["colour"] = "red"
    assert list(jsonschema.Draft7Validator(cms.config_schema()).iter_errors(config))


#: Decap CMS's built-in widgets (decaporg/decap-cms, packages/decap-cms-app: registered widgets).
DECAP_WIDGETS = {"boolean", "code", "color", "datetime", "file", "hidden", "image", "list", "map", "markdown",
                 "number", "object", "relation", "select", "string", "text"}


def test_config_stays_within_what_decap_cms_reads():
    """Decap CMS can stand in: its required keys are there (decap-cms-core configSchema.js:
    `backend.name`, `collections`, `media_folder`; each collection `name` and `label`, and
    `files` or `folder` + `fields`; each file `name`, `label`, `file`, `fields`), `publish_mode`
    is one it knows, slugs are plain templates and every widget is one of Decap's."""
    config = cms.cms_config()
    assert config["backend"]["name"] and config["media_folder"] and config["publish_mode"] in ("simple", "editorial_workflow", "")
    assert set(config["slug"]) <= {"encoding", "clean_accents", "sanitize_replacement"}

    def fields(items: list[dict], where: str) -> None:
        for f in items:
            assert f["name"] and f["widget"] in DECAP_WIDGETS, f"{where}.{f['name']}: {f['widget']}"
            for key in ("fields", "types"):
                fields(f.get(key, []), f"{where}.{f['name']}")
            if "field" in f:
                fields([f["field"]], f"{where}.{f['name']}")

    for coll in config["collections"]:
        assert coll["name"] and coll["label"]
        if "files" in coll:
            for file in coll["files"]:
                assert {"name", "label", "file", "fields"} <= set(file)
                fields(file["fields"], coll["name"])
        else:
            assert coll["folder"] and coll["fields"] and isinstance(coll.get("slug", ""), str)
            assert coll["extension"] == "yml" and coll["format"] == "yml"
            fields(coll["fields"], coll["name"])


def _by_name(fields: list[dict]) -> dict[str, dict]:
    return {f["name"]: f for f in fields}


def _walk_model(cls, fields: list[dict], where: str) -> None:
    """Every field of pydantic model ``cls`` is in ``fields`` with its hint, required flag, and
    nested fields for nested models."""
    from pydantic import BaseModel

    have = _by_name(fields)
    for name, info in cls.model_fields.items():
        assert name in have, f"{where}: no field for {name}"
        field = have[name]
        if field["widget"] == "hidden":
            continue
        assert field.get("hint"), f"{where}.{name} has no hint"
        assert field["required"] == info.is_required(), f"{where}.{name}: required"
        inner = info.annotation
        args = getattr(inner, "__args__", ())
        nested = next((a for a in (inner, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if nested is not None:
            assert field["widget"] in ("list", "object"), f"{where}.{name}"
            _walk_model(nested, field["fields"], f"{where}.{name}")


@pytest.mark.parametrize("kind", list(m.RESOURCE_KINDS))
def test_one_collection_per_resource_kind_with_every_model_field(kind):
    config = cms.cms_config()
    [coll] = [c for c in config["collections"] if c.get("filter") == {"field": "kind", "value": kind}]
    assert coll["folder"] == "content/resources" and coll["create"] is True
    fields = _by_name(coll["fields"])
    assert fields["kind"] == {"name": "kind", "label": "Kind", "widget": "hidden", "default": kind}
    assert list(fields)[:2] == ["id", "former_ids"]  # key order of our files: id first
    _walk_model(m.RESOURCE_KINDS[kind], coll["fields"], kind)
    # picked, not typed: audiences from site.yml, related resources from the resource files
    assert fields["audiences"]["widget"] == "relation" and fields["audiences"]["multiple"] is True
    assert fields["related"]["collection"] == "all_resources"


def test_activities_site_and_nested_lists():
    config = cms.cms_config()
    colls = {c["name"]: c for c in config["collections"]}
    _walk_model(m.Activity, colls["activities"]["fields"], "activity")
    _walk_model(m.SiteContent, colls["site"]["files"][0]["fields"], "site")
    activity = _by_name(colls["activities"]["fields"])
    tools = _by_name(activity["tools"]["fields"])
    assert tools["resources"]["widget"] == "relation" and tools["resources"]["collection"] == "all_resources"
    assert activity["stage"]["widget"] == "relation" and activity["stage"]["file"] == "site"
    phases = _by_name(colls["checklists"]["fields"])["phases"]
    items = _by_name(phases["fields"])["items"]
    assert items["widget"] == "list" and _by_name(items["fields"])["id"]["pattern"][0] == m.Id.__metadata__[0].pattern
    part = _by_name(_by_name(colls["worksheets"]["fields"])["parts"]["fields"])
    assert _by_name(part["fields"]["fields"])["type"]["options"] == list(m.FieldType.__args__)
    assert config["publish_mode"] == "editorial_workflow" and config["backend"]["name"] == "github"


def test_new_entries_are_named_from_their_title_once():
    for coll in cms.cms_config()["collections"]:
        if coll.get("create"):
            assert coll["slug"] == "{{title}}" and coll["identifier_field"] == "title"
            assert "slug" not in coll.get("editor", {})  # Sveltia: not editable after creation


def test_a_file_without_an_id_line_takes_its_file_name(project):
    from macros.loader import load_toolkit

    path = next((project / "content" / "resources").glob("*.yml"))
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^id: .*\n", "", text, count=1), encoding="utf-8")
    assert path.stem in load_toolkit(project, translations=False).resources


def test_write_admin_serves_the_editor_from_the_site(tmp_path):
    admin = cms.write_admin(tmp_path)
    page = (admin / "index.html").read_text(encoding="utf-8")
    assert '<script src="sveltia-cms.js"></script>' in page and 'rel="cms-config-url"' in page
    assert (admin / "config.yml").read_text(encoding="utf-8") == cms.CONFIG_FILE.read_text(encoding="utf-8")
    bundle = (admin / "sveltia-cms.js").read_text(encoding="utf-8")
    assert "cdn.jsdelivr.net" not in bundle and "/package.json`" not in bundle
    for font in re.findall(r"url\((fonts/[^)]+)\)", bundle):
        assert (admin / font).is_file(), font
    assert json.loads((admin / cms.VERSION_FILE).read_text())["version"]


def test_a_changed_bundle_is_refused_not_published(tmp_path):
    with pytest.raises(RuntimeError, match="bundle changed"):
        cms.self_hosted_bundle("fetch(`https://cdn.jsdelivr.net/npm/x`)", tmp_path)
    with pytest.raises(RuntimeError, match="bundle changed"):  # no update check or zoom lock
        cms.self_hosted_bundle("let a = 1", tmp_path)


def test_the_cms_command_writes_the_config(tmp_path, monkeypatch):
    target = tmp_path / "config.yml"
    assert cms.write_config(target) == 0
    assert yaml.safe_load(target.read_text(encoding="utf-8")) == json.loads(json.dumps(cms.cms_config()))


# ---------------------------------------------------------------------------------------------
# In a real browser
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def editor_site(tmp_path_factory):
    from cms_editor import make_admin_site, serve

    with serve(make_admin_site(tmp_path_factory.mktemp("admin-site"))) as base:
        yield base


@pytest.fixture
def editor(editor_site, browser, request):
    """The editor on the test-repo site, in a fresh browser context (its own private files)."""
    from cms_editor import Editor

    # axe is injected as an inline script, which the page's Content-Security-Policy forbids
    bypass = request.node.get_closest_marker("inject_scripts") is not None
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=bypass)
    yield Editor(context.new_page(), editor_site)
    context.close()


def _first_checklist(root: Path) -> tuple[str, dict]:
    for path in sorted((root / "content" / "resources").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") == "checklist":
            return path.relative_to(root).as_posix(), data
    pytest.skip("no checklist in the content")


def test_editing_a_checklist_in_the_editor_keeps_the_content_valid(editor, tmp_path):
    from cms_editor import content_files

    project = copy_project(tmp_path / "project")
    rel, data = _first_checklist(project)
    slug = Path(rel).stem
    items = data["phases"][0]["items"]
    editor.open(content_files(project))
    before = editor.read(rel)
    editor.entry("checklists", slug)
    editor.expand("phases")
    editor.expand("phases.0.items")
    editor.field("phases.0.items.0.text").fill("Pick one career to ask about, changed in the web editor.")
    editor.add("phases.0.items", "item", f"phases.0.items.{len(items)}.id")
    editor.field(f"phases.0.items.{len(items)}.id").fill("bring-a-pen")
    editor.field(f"phases.0.items.{len(items)}.text").fill("Bring a pen that works.")
    after = editor.save(rel, before)

    saved = yaml.safe_load(after)
    new_items = saved["phases"][0]["items"]
    assert new_items[0] == {"id": items[0]["id"], "text": "Pick one career to ask about, changed in the web editor."}
    assert new_items[-1] == {"id": "bring-a-pen", "text": "Bring a pen that works."}
    assert [i["id"] for i in new_items[1:-1]] == [i["id"] for i in items[1:]]
    assert list(saved)[:3] == ["id", "kind", "title"], "key order of our files"
    assert re.search(r'(?m)^title: "', after), "text stays in double quotes"

    # ... and the editor tools of pre-commit (yamllint errors, the JSON Schema of resources)
    from test_editor_tools import check_jsonschema, yamllint_errors

    (project / rel).write_text(after, encoding="utf-8")
    assert yamllint_errors(project, [project / rel]) == []
    proc = check_jsonschema(project, "resource.schema.json", [rel])
    assert proc.returncode == 0, proc.stdout + proc.stderr

    # What the editor wrote passes the content check (the translator adds the Spanish for the new item).
    (project / rel).write_text(after, encoding="utf-8")
    fill_translations(project)
    proc = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    from macros.loader import load_toolkit

    loaded = load_toolkit(project).resources[slug]
    assert loaded.phases[0].items[-1].text == "Bring a pen that works."

    # Nothing but this machine was asked for anything, and the editor logged no error.
    assert [u for u in editor.requests if not u.startswith((editor.base, "blob:", "data:"))] == []
    assert [t for kind, t in editor.console if kind == "error"] == []


def test_a_new_resource_is_named_from_its_title(editor, tmp_path):
    """A tip sheet created in the editor: its file name (its id) comes from the title, and the
    file, once listed in an activity's tools, passes the check."""
    from cms_editor import content_files

    project = copy_project(tmp_path / "project")
    editor.open(content_files(project))
    page = editor.page
    page.goto(editor.base + "admin/#/collections/tip_sheets/new")
    editor.field("title").fill("Tips for Hosts: Día One")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("alert").first.wait_for()  # required fields are empty: nothing is written
    with pytest.raises(Exception):
        editor.read("content/resources/tips-for-hosts-dia-one.yml")
    page.locator('[data-key-path="audiences"]').get_by_role("checkbox").first.check()
    editor.field("summary").fill("What a host needs on the first day.")
    editor.field("revised").fill("2026-12-01")
    editor.field("max_pages").fill("1")
    editor.add("tips", "tip", "tips.0.id")
    editor.field("tips.0.id").fill("welcome")
    editor.field("tips.0.title").fill("Say hello")
    editor.field("tips.0.text").fill("Meet the student at the door.")
    rel = "content/resources/tips-for-hosts-dia-one.yml"
    text = editor.save(rel, before=None)
    data = yaml.safe_load(text)
    assert "id" not in data and data["kind"] == "tip-sheet" and data["tips"][0]["id"] == "welcome"
    # a new title later keeps the file name (the id, the web address)
    editor.entry("tip_sheets", "tips-for-hosts-dia-one")
    editor.field("title").fill("Tips for Hosts on Day One")
    text = editor.save(rel, before=text)
    assert yaml.safe_load(text)["title"] == "Tips for Hosts on Day One"
    (project / rel).write_text(text, encoding="utf-8")
    activity = next((project / "content" / "activities").glob("*.yml"))
    lines = activity.read_text(encoding="utf-8").replace("    resources:\n", "    resources:\n      - tips-for-hosts-dia-one\n", 1)
    activity.write_text(lines, encoding="utf-8")
    fill_translations(project)
    proc = subprocess.run([sys.executable, "-m", "macros", "check"], cwd=project, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.inject_scripts
def test_axe_on_the_editor_screens(editor, tmp_path):
    """axe-core (WCAG 2.0/2.1 A and AA) on the sign-in page, a collection list and an entry
    editor, reported in ``tests/.reports/cms-axe.json``. Found on Sveltia CMS 0.221.1: only
    ``meta-viewport`` (zoom locked), which :func:`macros.cms.self_hosted_bundle` removes; so the
    screens must have no violation, and every field our configuration defines a visible label."""
    from cms_editor import content_files

    axe = ROOT / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip("axe-core not installed")
    project = copy_project(tmp_path / "project")
    rel, _ = _first_checklist(project)
    page = editor.page
    found = {}

    def scan(name: str) -> None:
        page.add_script_tag(path=str(axe))
        result = page.evaluate("() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})")
        found[name] = [{"rule": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"],
                        "targets": [n["target"] for n in v["nodes"]][:3]} for v in result["violations"]]

    page.goto(editor.base + "admin/")
    page.get_by_role("button", name=re.compile("Test Repository")).wait_for()
    scan("sign-in")
    editor.open(content_files(project))
    editor.page.goto(editor.base + "admin/#/collections/checklists")
    page.get_by_role("main").first.wait_for()
    page.wait_for_timeout(500)
    scan("collection")
    editor.entry("checklists", Path(rel).stem)
    editor.expand("phases")
    scan("entry")
    out = ROOT / "tests" / ".reports"
    out.mkdir(exist_ok=True)
    (out / "cms-axe.json").write_text(json.dumps(found, indent=1), encoding="utf-8")
    print(json.dumps({k: [(v["rule"], v["nodes"]) for v in vs] for k, vs in found.items()}))
    assert found == {"sign-in": [], "collection": [], "entry": []}
    # Every field the configuration defines has a label the editor shows.
    labels = page.locator("[data-key-path] h4").all_inner_texts()
    assert labels and all(t.strip() for t in labels)


#: The only other hosts the editor may talk to: GitHub, its backend (the API, and the status
#: page it checks before sign-in so it can warn of an outage).
GITHUB_HOSTS = ("https://api.github.com/", "https://www.githubstatus.com/")


def test_the_built_site_has_the_editor_and_it_loads_cleanly(site, browser):
    """/admin/ of the real build, with the real (GitHub) configuration: the sign-in screen shows,
    nothing is logged as an error, nothing is fetched from anywhere but this site and GitHub
    (whose status check is answered here, as this machine has no network)."""
    from cms_editor import serve

    admin = site / "admin"
    assert (admin / "config.yml").read_text(encoding="utf-8") == cms.CONFIG_FILE.read_text(encoding="utf-8")
    with serve(site) as base:
        context = browser.new_context()
        page = context.new_page()
        requests, errors = [], []
        page.on("request", lambda r: requests.append(r.url))
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.route("https://www.githubstatus.com/**", lambda route: route.fulfill(json={"status": {"indicator": "none"}}))
        page.goto(base + "admin/")
        page.get_by_role("button", name=re.compile("GitHub")).first.wait_for()
        title = page.title()
        context.close()
    assert title == "WBL Toolkit editor"
    assert errors == []
    others = [u for u in requests if not u.startswith((base, "blob:", "data:"))]
    assert all(u.startswith(GITHUB_HOSTS) for u in others), others


def test_contributing_pictures_of_the_editor_exist():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    pictures = re.findall(r"\]\((contributing-images/[^)]+\.png)\)", text)
    assert len(pictures) >= 5
    for rel in pictures:
        assert (ROOT / rel).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", rel

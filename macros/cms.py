"""The web editor for staff (``/admin/``): its configuration, generated from the content model,
and the folder the build publishes.

One job: turn :mod:`macros.model` into the configuration of a Git-based CMS — **Sveltia CMS**
(npm ``@sveltia/cms``), written so that **Decap CMS** reads it too — and put the editor into a
built site. README ("Editing without YAML") says why Sveltia.

* :func:`cms_config` — the configuration as a dict (from the pydantic models' JSON Schemas,
  like :func:`macros.__main__.json_schemas`, so it cannot drift from the model);
* :func:`write_config` — ``python -m macros cms``: writes it to :data:`CONFIG_FILE` (checked in;
  a test fails while it is stale, another validates it against the JSON Schema of Sveltia's
  configuration, ``node_modules/@sveltia/cms/schema/sveltia-cms.json``);
* :func:`write_admin` — called once by the build: ``<site>/admin/`` with ``index.html``, the
  configuration and the CMS's self-hosted bundle copied from ``node_modules`` (no CDN).

What the configuration says (sources: Sveltia CMS docs, https://sveltiacms.app/en/docs, and the
JSON Schema above; Decap CMS's ``configSchema.js`` in decaporg/decap-cms):

* one collection per kind of file: site settings (a file collection on ``content/site.yml``),
  activities (folder ``content/activities``), and one folder collection per resource kind on
  ``content/resources`` filtered by ``kind`` (a hidden field writes the kind into new files);
* every field with a label, a hint (the model's field docstring), ``required``, ``pattern``
  (ids, colours, e-mail, address), select options (literal choices), ``min``/``max`` on lists
  and numbers, nested lists (phases → items, tips, sections → facts, parts → fields);
* relations, so editors pick rather than type ids: audiences and stages from ``content/site.yml``,
  resources of an activity's ``tools`` and a resource's ``related`` from every resource file,
  a continuum stage's ``activity`` from the activity files;
* a new activity or resource gets its file name (= its id) from its title, once, when it is
  created; both CMSs keep an existing entry's file name when the title changes. A new file
  holds no ``id:`` line (the loader takes the file name, :mod:`macros.loader`); an existing
  file's ``id`` and ``former_ids`` are hidden fields, kept as they are;
* ``publish_mode: editorial_workflow``: each save opens or updates a pull request.
"""
from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

#: Where the generated configuration is checked in, and the editor's page (both copied to
#: ``<site>/admin/`` by :func:`write_admin`).
ADMIN_SOURCE = ROOT / "admin"
CONFIG_FILE = ADMIN_SOURCE / "config.yml"
INDEX_FILE = ADMIN_SOURCE / "index.html"

#: The CMS package and the files of it the site serves (its UMD bundle and the lazily loaded
#: chunk it may fetch, both relative to the bundle).
PACKAGE = ROOT / "node_modules" / "@sveltia" / "cms"
BUNDLE_FILES = ("dist/sveltia-cms.js", "dist/chunks/react-dom.js")
#: The published JSON Schema of Sveltia CMS's configuration (draft-07).
CONFIG_SCHEMA = PACKAGE / "schema" / "sveltia-cms.json"

#: The GitHub repository the editor commits to and the OAuth authenticator it signs in through.
#: Set these once for the district (CONTRIBUTING.md, "Web editor: one-time set-up"), then run
#: ``python -m macros cms``.
GITHUB_REPO = "metro-city-schools/wbl-toolkit"
GITHUB_BRANCH = "main"
AUTH_BASE_URL = "https://wbl-cms-auth.metrocityschools.example.org"

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MESSAGE = "Use lowercase letters and digits joined by single hyphens, like bring-a-notebook."

#: Labels for field names that a plain "Capitalised words" label would not explain.
LABELS = {
    "id": "Id", "max_pages": "Most printed pages", "tools_introduction": "Tools introduction",
    "lead": "Lead sentence", "when": "When", "options_from": "Fill options from",
    "not_applicable": "“Does not apply” column", "any_stage": "Activities at any stage",
    "how_to_use": "How to use (bullet points)", "site_url": "Site address", "primary_dark": "Primary (dark)",
    "contact_email": "Contact e-mail", "toolkit_name": "Toolkit name", "former_ids": "Former ids",
    "report_a_problem": "Report a problem", "other_formats": "Other formats",
}
#: Singular names for the "Add …" button of a list, by field name.
SINGULAR = {
    "phases": "phase", "items": "item", "tips": "tip", "sections": "section", "facts": "fact",
    "parts": "part", "fields": "field", "points": "point", "introduction": "paragraph",
    "audiences": "audience", "stages": "stage", "activities": "activity", "notes": "note",
    "tools": "group", "resources": "resource", "options": "option", "scale": "point",
    "respondents": "respondent", "checks": "check", "other_formats": "paragraph", "how_to_use": "point",
    "any_stage": "paragraph", "related": "resource", "roles": "role",
}
#: What a collapsed list entry shows, by the entry's model.
SUMMARIES = {"text": "{{fields.text}}", "title": "{{fields.title}}", "label": "{{fields.label}}"}

_RESOURCE_FOLDER = "content/resources"
_ACTIVITY_FOLDER = "content/activities"


def _label(name: str) -> str:
    return LABELS.get(name, name.replace("_", " ").capitalize())


def _hint(description: str | None) -> str | None:
    """A model docstring as an editor's hint: `code` marks become quotes (the CMSs' hints show
    bold, italic and links, not code)."""
    if not description:
        return None
    text = re.sub(r"`+([^`]*)`+", r"“\1”", " ".join(description.split()))
    return text.replace("<", "‹").replace(">", "›")  # `resource:<id>` is not an HTML tag


def _relation(collection: str, value: str, display: str, hint: str, *, file: str | None = None, multiple: bool = False) -> dict:
    out: dict[str, Any] = {"widget": "relation", "hint": hint, "collection": collection}
    if file:
        out["file"] = file
    out |= {"value_field": value, "search_fields": [display], "display_fields": [display]}
    if multiple:
        out["multiple"] = True
    return out


#: Fields (by model name and field name) whose value is an id of something elsewhere: the
#: editor picks it from a list. ``*`` matches any model.
RELATIONS: dict[tuple[str, str], dict] = {
    ("ResourceBase", "audiences"): _relation("site", "audiences.*.id", "audiences.*.label", "Who it is for: tick every group it is written for.", file="site", multiple=True),
    ("Activity", "stage"): _relation("site", "continuum.stages.*.id", "continuum.stages.*.title", "The stage of the continuum this activity belongs to.", file="site"),
    ("ToolGroup", "resources"): _relation("all_resources", "{{slug}}", "title", "The resources of this group, in the order readers see them. Every resource must be in some activity's tools.", multiple=True),
    ("ResourceBase", "related"): _relation("all_resources", "{{slug}}", "title", "Other resources to list under “Related” (optional).", multiple=True),
    ("StageActivity", "activity"): _relation("activities", "{{slug}}", "title", "The activity's page in the toolkit, when it has one (makes the title a link). Leave it empty otherwise."),
}
#: Fields kept as they are but not shown (renaming is a developer's job: README, "Renaming an id").
HIDDEN = {("*", "former_ids")}


class _Walker:
    """Turns one pydantic JSON Schema (with ``$defs``) into CMS fields."""

    def __init__(self, schema: dict):
        from macros.model import RESOURCE_KINDS

        self.defs = schema.get("$defs", {})
        self.resource_kinds = {cls.__name__ for cls in RESOURCE_KINDS.values()}

    def resolve(self, node: dict) -> dict:
        while "$ref" in node:
            node = self.defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def fields(self, model: dict, model_name: str, skip: tuple[str, ...] = ()) -> list[dict]:
        required = set(model.get("required", []))
        out = []
        for name, prop in model["properties"].items():
            if name in skip:
                continue
            out.append(self.field(name, prop, model_name, name in required))
        return out

    def field(self, name: str, prop: dict, model_name: str, required: bool) -> dict:
        """One CMS field for property ``name`` of ``model_name``."""
        field: dict[str, Any] = {"name": name, "label": _label(name)}
        hint = _hint(prop.get("description"))
        node = prop
        options = [o for o in prop.get("anyOf", []) if o.get("type") != "null"]
        if "anyOf" in prop and len(options) == 1:  # `X | None`: optional
            node, required = options[0], False
        node = self.resolve(node)
        if (model_name, name) in HIDDEN or ("*", name) in HIDDEN:
            return {"name": name, "label": field["label"], "widget": "hidden"}
        relation = RELATIONS.get((model_name, name)) or RELATIONS.get(("*", name))
        if relation is None and model_name in self.resource_kinds:
            relation = RELATIONS.get(("ResourceBase", name))
        if relation:
            field |= relation
            if relation.get("multiple") and node.get("minItems"):
                field["min"] = node["minItems"]
        elif node.get("type") == "array":
            field |= self.list_field(name, node)
        elif node.get("type") == "object":
            field |= {"widget": "object", "fields": self.fields(node, node.get("title", name))}
            field |= self.summary(node)
        elif "enum" in node or "const" in node:
            field |= {"widget": "select", "options": node.get("enum") or [node["const"]]}
        elif node.get("format") == "date":
            field |= {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}
        elif node.get("type") == "integer":
            field |= {"widget": "number", "value_type": "int"}
            if "minimum" in node:
                field["min"] = node["minimum"]
            if "maximum" in node:
                field["max"] = node["maximum"]
        else:
            field |= self.string_field(node)
        if "default" in prop and prop["default"] not in (None, [], "") and field.get("widget") in ("select", "number"):
            field["default"] = prop["default"]
        if hint and "hint" not in field:
            field["hint"] = hint
        field["required"] = required
        return field

    def string_field(self, node: dict) -> dict:
        out: dict[str, Any] = {"widget": "text" if node.get("maxLength", 0) > 200 else "string"}
        pattern = node.get("pattern")
        if pattern:
            message = ID_MESSAGE if pattern == ID_PATTERN else "This does not have the expected form; see the hint."
            out["pattern"] = [pattern, message]
        return out

    def list_field(self, name: str, node: dict) -> dict:
        out: dict[str, Any] = {"widget": "list", "label_singular": SINGULAR.get(name, "entry")}
        items = self.resolve(node["items"])
        if items.get("type") == "object":
            out["fields"] = self.fields(items, items.get("title", name))
            out |= self.summary(items)
            out["collapsed"] = True
        else:
            sub = {"name": SINGULAR.get(name, "entry"), "label": _label(SINGULAR.get(name, "entry"))}
            sub |= self.string_field(items)
            out["field"] = sub
        if node.get("minItems"):
            out["min"] = node["minItems"]
        if node.get("maxItems"):
            out["max"] = node["maxItems"]
        return out

    @staticmethod
    def summary(model: dict) -> dict:
        for key in ("title", "label", "text"):
            if key in model.get("properties", {}):
                return {"summary": SUMMARIES[key]}
        return {}


def _entry_fields(cls) -> list[dict]:
    """The fields of a top-level file model: ``id`` and ``former_ids`` hidden and first (kept
    as they are in existing files), ``kind`` next, then the model's fields in its order, so the
    CMS writes keys in the order the files use."""
    schema = cls.model_json_schema()
    walker = _Walker(schema)
    first = [{"name": "id", "label": "Id", "widget": "hidden"}]
    props = schema["properties"]
    if "former_ids" in props:
        first.append(walker.field("former_ids", props["former_ids"], cls.__name__, False))
    if "kind" in props:
        kind = props["kind"]["const"]
        first.append({"name": "kind", "label": "Kind", "widget": "hidden", "default": kind})
    return first + walker.fields(schema, cls.__name__, skip=("id", "former_ids", "kind"))


def _folder_collection(name: str, label: str, singular: str, folder: str, fields: list[dict], description: str) -> dict:
    return {
        "name": name, "label": label, "label_singular": singular, "description": description,
        "folder": folder, "extension": "yml", "format": "yml", "create": True, "delete": False,
        "identifier_field": "title", "slug": "{{title}}", "summary": "{{title}}",
        "sortable_fields": ["title"], "editor": {"preview": False}, "fields": fields,
    }


def cms_config() -> dict:
    """The CMS configuration as a dict (shape: Sveltia CMS's ``CmsConfig``; Decap CMS reads it
    too). Depends only on :mod:`macros.model` and this module's constants, never on content."""
    from macros import model as m

    collections: list[dict] = [{
        "name": "site", "label": "Site settings", "description": "District, colours, audiences, the continuum and the home page.",
        "editor": {"preview": False},
        "files": [{
            "name": "site", "label": "Site settings", "file": "content/site.yml",
            "fields": _Walker(m.SiteContent.model_json_schema()).fields(m.SiteContent.model_json_schema(), "SiteContent"),
        }],
    }, _folder_collection(
        "activities", "Activities", "Activity", _ACTIVITY_FOLDER, _entry_fields(m.Activity),
        "One page per activity on the continuum, with its Tools and Materials.",
    )]
    for kind, cls in m.RESOURCE_KINDS.items():
        plural = m.KIND_LABELS[kind] + "s"
        coll = _folder_collection(
            kind.replace("-", "_") + "s", plural, m.KIND_LABELS[kind], _RESOURCE_FOLDER, _entry_fields(cls),
            _hint((cls.__doc__ or "").strip().split("\n\n")[0]) or plural,
        )
        coll["filter"] = {"field": "kind", "value": kind}
        collections.append(coll)
    # Every resource, whatever its kind: only the list an activity's tools pick from.
    collections.append({
        "name": "all_resources", "label": "All resources", "label_singular": "Resource", "folder": _RESOURCE_FOLDER,
        "extension": "yml", "format": "yml", "create": False, "delete": False, "hide": True,
        "identifier_field": "title", "fields": [
            {"name": "title", "label": "Title", "widget": "string"},
            {"name": "kind", "label": "Kind", "widget": "select", "options": list(m.RESOURCE_KINDS)},
        ],
    })
    return {
        "backend": {
            "name": "github", "repo": GITHUB_REPO, "branch": GITHUB_BRANCH, "base_url": AUTH_BASE_URL,
            "cms_label_prefix": "cms/", "commit_messages": {
                "create": "Add {{collection}} “{{slug}}” (web editor)",
                "update": "Edit {{collection}} “{{slug}}” (web editor)",
                "delete": "Delete {{collection}} “{{slug}}” (web editor)",
                "uploadMedia": "Upload “{{path}}” (web editor)",
                "deleteMedia": "Delete “{{path}}” (web editor)",
            },
        },
        "publish_mode": "editorial_workflow",
        "app_title": "WBL Toolkit editor",
        "media_folder": "docs/assets/uploads",
        "public_folder": "/assets/uploads",
        "show_preview_links": False,
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        # Sveltia CMS: text in double quotes as our files have it; an optional field left empty
        # is left out (the loader refuses an empty text). Decap CMS ignores this key.
        "output": {"omit_empty_optional_fields": True, "yaml": {"quote": "double", "indent_sequences": True}},
        "collections": collections,
    }


HEADER = """\
# GENERATED by `python -m macros cms` from macros/model.py and macros/cms.py: do not edit.
# The configuration of the web editor at /admin/ (Sveltia CMS; Decap CMS reads it too).
"""


def render_config() -> str:
    """The configuration file's text: :data:`HEADER`, then YAML (key order kept, no aliases)."""
    import yaml

    class _NoAliases(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    body = yaml.dump(cms_config(), Dumper=_NoAliases, sort_keys=False, allow_unicode=True, width=120, default_flow_style=False)
    return HEADER + body


def write_config(path: Path = CONFIG_FILE) -> int:
    """``python -m macros cms``: write :func:`render_config` to ``path``. Returns 0."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_config(), encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}", file=sys.stderr)
    return 0


#: The bundle loads its interface fonts from a CDN (``@font-face`` rules with
#: ``https://cdn.jsdelivr.net/fontsource/fonts/<family>[:vf]@<version>/<file>.woff2``): the
#: same files come from these npm packages (OFL) and are served from ``admin/fonts/``.
_FONT_URL = re.compile(r"https://cdn\.jsdelivr\.net/fontsource/fonts/([a-z0-9-]+)(:vf)?@[0-9.]+/([a-z0-9-]+\.woff2)")
#: ... and checks every hour for a newer release on a CDN (``fetch(`${base}/package.json`)``):
#: pointed at a local file that names the installed version, so it finds none.
_UPDATE_CHECK = re.compile(r"`\$\{(\w+)\}/package\.json`")
VERSION_FILE = "sveltia-cms-version.json"
#: ... and sets ``maximum-scale=1`` on its viewport, which stops people zooming on a phone
#: (WCAG 2.1 1.4.4, axe rule ``meta-viewport``): left out.
_NO_ZOOM = "`maximum-scale=1`,"


def self_hosted_bundle(code: str, fonts_from: Path) -> tuple[str, dict[str, Path]]:
    """Rewrite the CMS bundle ``code`` so that it requests nothing from another host: CDN font
    URLs become ``fonts/<file>`` (returned as ``{site name: npm file}`` to copy) and the update
    check reads :data:`VERSION_FILE` beside the page; and let people zoom (:data:`_NO_ZOOM`).

    Raises:
        RuntimeError: a CDN URL is left, or the update check was not found — a new release of
            the package changed its bundle: look at it, then update these rules.
    """
    fonts: dict[str, Path] = {}

    def font(match: re.Match) -> str:
        family, variable, file = match.groups()
        folder = fonts_from / ("@fontsource-variable" if variable else "@fontsource") / family / "files"
        source = folder / f"{family}-{file}"
        if not source.is_file():
            raise RuntimeError(f"{match.group(0)} is used by the CMS but {source} is not installed — add the npm package")
        fonts[source.name] = source
        return f"fonts/{source.name}"

    code = _FONT_URL.sub(font, code)
    code, checks = _UPDATE_CHECK.subn(f"`./{VERSION_FILE}`", code)
    zoom = code.count(_NO_ZOOM)
    code = code.replace(_NO_ZOOM, "")
    if checks != 1 or zoom != 1 or "cdn.jsdelivr.net" in code:
        raise RuntimeError("the CMS bundle changed (update check or CDN fonts not found as expected): review macros/cms.py")
    return code, fonts


def write_admin(site_folder: Path, package: Path = PACKAGE) -> Path:
    """Put the web editor into a built site: ``<site_folder>/admin/`` gets ``index.html``,
    ``config.yml`` (the checked-in :data:`CONFIG_FILE`) and the CMS bundle from ``package``
    (``node_modules/@sveltia/cms``), so the editor makes no request to any other host.
    Returns the admin folder.

    Raises:
        FileNotFoundError: the npm package is not installed (``make setup``) or the config has
            not been generated (``python -m macros cms``).
    """
    admin = Path(site_folder) / "admin"
    for rel in BUNDLE_FILES:
        if not (package / rel).is_file():
            raise FileNotFoundError(f"{package / rel} is missing — run `make setup` (npm package @sveltia/cms)")
    if not CONFIG_FILE.is_file():
        raise FileNotFoundError(f"{CONFIG_FILE} is missing — run `python -m macros cms`")
    admin.mkdir(parents=True, exist_ok=True)
    for rel in BUNDLE_FILES[1:]:
        target = admin / Path(rel).relative_to("dist")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(package / rel, target)
    code, fonts = self_hosted_bundle((package / BUNDLE_FILES[0]).read_text(encoding="utf-8"), package.parent.parent)
    (admin / Path(BUNDLE_FILES[0]).name).write_text(code, encoding="utf-8")
    (admin / "fonts").mkdir(exist_ok=True)
    for name, source in fonts.items():
        shutil.copyfile(source, admin / "fonts" / name)
    version = json.loads((package / "package.json").read_text(encoding="utf-8"))["version"]
    (admin / VERSION_FILE).write_text(json.dumps({"version": version}) + "\n", encoding="utf-8")
    shutil.copyfile(INDEX_FILE, admin / "index.html")
    shutil.copyfile(CONFIG_FILE, admin / "config.yml")
    return admin


def config_schema() -> dict:
    """Sveltia CMS's published JSON Schema of its configuration (from the npm package)."""
    return json.loads(CONFIG_SCHEMA.read_text(encoding="utf-8"))

"""Shared fixtures.

Two kinds of project are built:

* the **shipped** project (``site``, ``toolkit``): tests on it may only assert what they derive
  from the loaded content (every item of every resource is on its page and in its PDF, every
  URL resolves …), never a title, date, sentence or count from ``content/``;
* **fixture projects** (``project``, ``fixture_site``, ``variant``): the project's code with the
  small content of ``tests/fixtures/base/`` (optionally with a case folder laid over it),
  copied into a temp dir. Behaviour tests edit and build these; their words belong to the
  tests, so the tests may quote them.

See tests/README.md ("How tests are written")."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT))

#: Top-level names of the checkout that are not project code (never copied into a project).
_NOT_CODE = {"content", "tests", "site", ".cache", ".git", ".venv", "node_modules", ".pytest_cache", ".build"}


def make_project(dest: Path, *overlays: str, base: str = "base") -> Path:
    """Make a throw-away project at ``dest``: the project's code (everything of the checkout
    but ``content/``, ``tests/``, builds and caches) plus ``tests/fixtures/<base>/content`` as
    its content, with each ``tests/fixtures/<overlay>/content`` copied over it in turn.
    ``node_modules`` is a symlink to the checkout's (fonts, read-only). Returns ``dest``."""
    dest.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", ".site-*", "*.pyc")
    for item in ROOT.iterdir():
        if item.name in _NOT_CODE or item.name.startswith(".site-"):
            continue
        if item.is_dir():
            shutil.copytree(item, dest / item.name, ignore=skip)
        else:
            shutil.copy2(item, dest / item.name)
    shutil.copytree(FIXTURES / base / "content", dest / "content")
    for overlay in overlays:
        shutil.copytree(FIXTURES / overlay / "content", dest / "content", dirs_exist_ok=True)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    return dest


def copy_project(dest: Path) -> Path:
    """Copy the shipped project (code and the real ``content/``) to ``dest``: only for tests
    whose expectations are derived from that content."""
    make_project(dest)
    shutil.rmtree(dest / "content")
    shutil.copytree(ROOT / "content", dest / "content")
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A fresh fixture project (tests/fixtures/base) to edit."""
    return make_project(tmp_path / "project")


def macros_command(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m macros <args>`` in ``root`` (the product's own command line) with extra
    environment ``env``; returns the completed process (text output)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)


def run_build(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``python -m macros <args>`` in ``root``. In a fixture project, English texts a test
    added first get stand-in Spanish entries (:func:`fill_translations`), as a translator
    would add them, so the build sees a complete translation."""
    if root != ROOT:
        fill_translations(root, strict=False)
    return macros_command(root, *args, env=env)


def fill_translations(root: Path, strict: bool = True) -> None:
    """For tests that add English content: run ``python -m macros translations`` (the command
    editors' developers run) and give every empty Spanish entry a stand-in, ``"ES "`` plus the
    English, so the project loads; existing translations and their staleness are kept."""
    proc = macros_command(root, "translations")
    if proc.returncode != 0:
        assert not strict, "the English content has problems:\n" + proc.stderr
        return
    for path in (root / "content" / "translations" / "es").rglob("*.yml"):
        if path.name == "glossary.yml":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() == 'es: ""' and i and re.match(r"^\s+en: ", lines[i - 1]):
                english = json.loads(lines[i - 1].split("en: ", 1)[1])
                lines[i] = line.replace('""', json.dumps("ES " + english, ensure_ascii=False))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


# -- the shipped project -----------------------------------------------------------------------


@pytest.fixture(scope="session")
def toolkit():
    """The shipped content, loaded and validated (derive expectations from it; quote none)."""
    from helpers import load

    return load(ROOT)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped site with every PDF, built once by the README's build step into a temp dir."""
    out = tmp_path_factory.mktemp("built") / "site"
    proc = run_build(ROOT, "build", "--site-dir", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


# -- fixture projects, built once per session --------------------------------------------------


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """tests/fixtures/base built for real, PDFs included, at its own site_url. Returns the
    project root; the site is in ``site/``. Read only: copy it to change it."""
    root = make_project(tmp_path_factory.mktemp("fixture") / "project")
    proc = run_build(root, "build", "--jobs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


#: The sub-path site URL the variant build is published at.
SUBPATH_URL = "https://intranet.example.org/wbl/"


@pytest.fixture(scope="session")
def variant(tmp_path_factory) -> Path:
    """The fixture project changed the way an editor would, with content only
    (tests/variants.py): one resource renamed (its old id kept in ``former_ids``) and a second
    activity that shares the evaluation; built for real, PDFs included, for the sub-path site
    URL :data:`SUBPATH_URL`. Returns the project root; the site is in ``site/``."""
    from variants import add_second_activity, rename_resource

    root = make_project(tmp_path_factory.mktemp("variant") / "project")
    rename_resource(root)
    add_second_activity(root)
    proc = run_build(root, "build", "--jobs", "2", env={"TOOLKIT_SITE_URL": SUBPATH_URL})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


#: Debian's Chromium, which Playwright drives (never a browser download).
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def need(ok: bool, what: str) -> None:
    """Skip the test when ``what`` is missing on a developer's machine; fail it in CI
    (``CI=true``), where everything must be installed."""
    if ok:
        return
    message = f"{what} is needed for the browser tests (run `make setup-tests`)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session, driven by Playwright's sync API (which
    allows only one running instance per process, so every browser test shares this one)."""
    need(os.path.exists(CHROMIUM), "Debian's chromium package (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "the playwright Python package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        yield b
        b.close()

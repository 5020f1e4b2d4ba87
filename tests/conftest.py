"""Shared fixtures: the real toolkit, one real build of the site with its PDFs, and a way to
make a throw-away copy of the project to break on purpose."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macros.loader import load_toolkit  # noqa: E402


@pytest.fixture(scope="session")
def toolkit():
    """The shipped content, loaded and validated."""
    return load_toolkit(ROOT)


def copy_project(dest: Path) -> Path:
    """Copy the project (sources and content, no venv, site or cache) to ``dest``."""
    ignore = shutil.ignore_patterns(".venv", "site", ".site-*", ".cache", ".git", "__pycache__", ".pytest_cache", "node_modules")
    shutil.copytree(ROOT, dest, ignore=ignore)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")  # fonts from npm, read-only
    return dest


@pytest.fixture
def project(tmp_path) -> Path:
    """A throw-away copy of the project to edit."""
    return copy_project(tmp_path / "project")


def run_build(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m macros <args>`` in ``root`` with extra environment ``env``; returns the
    completed process.

    In a project copy whose English is valid, English texts a test added first get stand-in
    Spanish entries (:func:`fill_translations`), as the editor's translator would add them."""
    if root != ROOT:
        fill_translations(root, strict=False)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", **(env or {}))
    return subprocess.run([sys.executable, "-m", "macros", *args], cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site with every PDF, built once by the README's build step into a temp dir."""
    out = tmp_path_factory.mktemp("built") / "site"
    proc = run_build(ROOT, "build", "--site-dir", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


#: The sub-path site URL the variant build is published at.
SUBPATH_URL = "https://intranet.example.org/wbl/"


@pytest.fixture(scope="session")
def variant(tmp_path_factory) -> Path:
    """A project copy changed the way an editor would, with content only (tests/variants.py):
    one resource renamed (its old id kept in ``former_ids``) and a second activity, Job
    Shadowing, that shares the WBL activity evaluation; built for real, PDFs included, for the
    sub-path site URL :data:`SUBPATH_URL`. Returns the project root; the site is in ``site/``."""
    from variants import add_job_shadowing, rename_resource

    root = copy_project(tmp_path_factory.mktemp("variant") / "project")
    # Its PDFs print sub-path URLs, so the project's own PDF cache cannot serve them: keep a
    # cache of this build's PDFs beside it (keyed on content like any PDF cache entry).
    kept = ROOT / ".cache" / "test-variant-pdf"
    if kept.exists():
        shutil.copytree(kept, root / ".cache" / "pdf")
    rename_resource(root)
    add_job_shadowing(root)
    proc = run_build(root, "build", "--jobs", "2", env={"TOOLKIT_SITE_URL": SUBPATH_URL})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(root / ".cache" / "pdf", kept)
    return root


def fill_translations(root: Path, strict: bool = True) -> None:
    """For tests that add English content: give every new English text a Spanish entry (the
    English words, standing in for a translation) so the project loads; existing translations
    and their staleness are kept. Uses the same command editors' developers run."""
    import re as _re

    from macros.__main__ import write_translations

    code = write_translations(root)
    if code != 0:
        assert not strict, "the English content has problems"
        return
    for path in (root / "content" / "translations" / "es").rglob("*.yml"):
        if path.name == "glossary.yml":
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() == 'es: ""' and i and _re.match(r'^\s+en: ', lines[i - 1]):
                lines[i] = line.replace('""', lines[i - 1].split("en: ", 1)[1])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright, one for the whole session (a process can run
    only one Playwright sync API at a time, so every browser test shares it). Skips (fails in
    CI) when Chromium or Playwright is missing."""
    from test_browser import CHROMIUM, _need

    _need(os.path.exists(CHROMIUM), "Debian's chromium package (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _need(False, "the playwright Python package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
        ])
        yield b
        b.close()

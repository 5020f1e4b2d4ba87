"""Issue #12: one load, one plan, and a site built by MkDocs + Material or, unchanged, by
Zensical.

Both generators build the shipped content (expectations are derived from the build plan,
never from the shipped words): same pages, the page text the plan rendered (so no template
syntax is left unrendered and Markdown changed nothing), real headings in each generator's
table of contents, internal links and anchors that resolve, axe on the Zensical pages, and one
load of the content per build with ``resources.json`` written once per edition.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path

import lxml.html
import markdown
import pytest

from conftest import ROOT



GENERATORS = ["mkdocs", "zensical"]


def _build(generator: str, out: Path) -> tuple[Path, list[str]]:
    out.parent.mkdir(parents=True, exist_ok=True)
    trace = out.parent / f"trace-{generator}.txt"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", TOOLKIT_TRACE=str(trace))
    proc = subprocess.run([sys.executable, "-m", "macros", "build", "--generator", generator, "--site-dir", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (out.parent / f"output-{generator}.txt").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return out, trace.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> dict[str, tuple[Path, list[str]]]:
    """The shipped project built by each generator: ``{name: (site folder, trace lines)}``."""
    base = tmp_path_factory.mktemp("adapters")
    return {g: _build(g, base / g / "site") for g in GENERATORS}


@pytest.fixture(scope="module")
def plan():
    from macros.build import load_plan

    return load_plan(ROOT)


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def _article(path: Path):
    doc = lxml.html.parse(str(path)).getroot()
    found = doc.cssselect("article")
    assert found, f"{path} has no <article>"
    article = found[0]
    for link in article.cssselect("a.headerlink"):
        link.drop_tree()
    return article


# -- the Markdown source of a page -------------------------------------------------------------


def test_markdown_source_gives_real_headings_and_keeps_everything_else():
    from macros.adapters.markdown import markdown_source

    body = ('<div class="x"><h1 id="t">Step *1* {: .evil} [a](b)</h1>\n'
            '<p>Text *not* {{ 7*7 }} <em>kept</em></p><section><h2 id="s">Part_two</h2>\n'
            '<ul><li><label>item *raw* {% if x %}</label></li></ul></section></div>')
    md = markdown.Markdown(extensions=["md_in_html", "attr_list", "toc"])
    html = md.convert(markdown_source(body))
    tokens = md.toc_tokens
    assert [t["id"] for t in tokens] == ["t"] and [c["id"] for c in tokens[0]["children"]] == ["s"]
    doc = lxml.html.fromstring(html)
    assert doc.cssselect("h1")[0].text_content() == "Step *1* {: .evil} [a](b)"
    assert doc.cssselect("h2")[0].text_content() == "Part_two"
    assert "markdown=" not in html
    # text outside headings is raw HTML that Markdown never reads
    words = lambda e: [t.strip() for t in e.itertext() if t.strip()]  # noqa: E731
    assert words(doc) == words(lxml.html.fromstring(body))
    assert "<em>not</em>" not in html and "{{ 7*7 }}" in html and "{% if x %}" in html


def test_markdown_source_changes_nothing_without_headings():
    from macros.adapters.markdown import markdown_source

    body = '<div class="a"><p>x * y</p>\n<ul><li>1</li></ul></div>'
    assert markdown_source(body) == body


# -- one load, one plan --------------------------------------------------------------------------


@pytest.mark.parametrize("generator", GENERATORS)
def test_a_build_loads_the_content_once_and_writes_each_catalog_once(builds, plan, generator):
    _, trace = builds[generator]
    assert trace.count("load") == 1, trace
    catalogs = [line for line in trace if line.startswith("catalog")]
    assert sorted(catalogs) == sorted(f"catalog {e.language}" for e in plan.editions)


def test_a_build_that_succeeds_says_no_more_than_an_editor_needs(builds):
    """No generator progress or plugin report lines (MkDocs' and mkdocs-macros' INFO lines)
    around the build's own summary: what an editor reads is warnings and the summary."""
    site, _ = builds["mkdocs"]
    output = (site.parent / "output-mkdocs.txt").read_text(encoding="utf-8")
    assert "Site built with" in output
    assert not [line for line in output.splitlines() if line.startswith("INFO")], output[:3000]


@pytest.mark.parametrize("generator", GENERATORS)
def test_every_output_of_the_plan_is_built(builds, plan, generator):
    site, _ = builds[generator]
    missing = [p for p in plan.expected() if not (site / p).is_file()]
    assert not missing, missing


def test_both_generators_build_the_same_pages(builds):
    (a, _), (b, _) = builds["mkdocs"], builds["zensical"]
    assert _pages(a) == _pages(b)


@pytest.mark.parametrize("generator", GENERATORS)
def test_each_page_shows_the_text_the_plan_rendered(builds, plan, generator):
    """No unrendered template syntax, nothing added or eaten by Markdown: the text of every
    built page's article is the text of the body the plan rendered for it."""
    site, _ = builds[generator]
    wrong = []
    for edition in plan.editions:
        for page in edition.pages:
            # whitespace between elements may differ (Markdown re-serialises the HTML)
            built = re.sub(r"\s+", "", _article(site / edition.folder / page.path / "index.html").text_content())
            expected = re.sub(r"\s+", "", lxml.html.fromstring(page.body(edition.renderer)).text_content())
            if built != expected:
                wrong.append(f"{edition.folder}{page.path}: {built[:120]!r} != {expected[:120]!r}")
    assert not wrong, "\n".join(wrong[:10])


@pytest.mark.parametrize("generator", GENERATORS)
def test_the_table_of_contents_lists_the_page_headings(builds, plan, generator):
    """The generator's own table of contents ("On this page") links every h2 of every
    page that has one (the home page hides it)."""
    site, _ = builds[generator]
    wrong = []
    for edition in plan.editions:
        for page in edition.pages:
            if page.hide_toc:
                continue
            path = site / edition.folder / page.path / "index.html"
            doc = lxml.html.parse(str(path)).getroot()
            heads = [h.get("id") for h in _article(path).cssselect("h2")]
            toc = doc.cssselect("nav.md-nav--secondary")
            listed = {a.get("href") for a in (toc[0].cssselect("a") if toc else [])}
            missing = [h for h in heads if f"#{h}" not in listed]
            if missing:
                wrong.append(f"{edition.folder}{page.path}: {missing}")
    assert not wrong, wrong


@pytest.mark.parametrize("generator", GENERATORS)
def test_internal_links_and_anchors_resolve(builds, plan, generator):
    """Every link on our host (relative, or absolute under the site URL's path, as on the 404
    page) leads to a file of the same build, and a link's ``#anchor`` to an element there."""
    from urllib.parse import urlsplit

    site, _ = builds[generator]
    prefix = urlsplit(plan.editions[0].site_url).path
    ids: dict[Path, set[str]] = {}
    broken = []
    for page in sorted(site.rglob("*.html")):
        doc = lxml.html.parse(str(page)).getroot()
        for a in doc.iter("a", "link"):
            href = a.get("href") or ""
            if not href or re.match(r"^[a-z][a-z0-9+.-]*:", href) or href.startswith("//"):
                continue
            path, _, anchor = href.partition("#")
            path = path.split("?")[0]
            if path.startswith("/"):
                assert path.startswith(prefix), f"{page}: {href} is outside the site"
                target = Path(posixpath.normpath(str(site / path[len(prefix):])))
            else:
                target = page if not path else Path(posixpath.normpath(str(page.parent / path)))
            if target.is_dir() or path.endswith("/"):
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {href}")
                continue
            if anchor and target.suffix == ".html":
                if target not in ids:
                    ids[target] = {e.get("id") for e in lxml.html.parse(str(target)).getroot().iter() if e.get("id")}
                if anchor not in ids[target]:
                    broken.append(f"{page.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_both_generators_link_the_same_content(builds, plan):
    """The links inside each page's content are the same whichever generator built it."""
    (a, _), (b, _) = builds["mkdocs"], builds["zensical"]
    for edition in plan.editions:
        for page in edition.pages:
            rel = Path(edition.folder) / page.path / "index.html"
            links = [[x.get("href") for x in _article(site / rel).iter("a") if x.get("href")] for site in (a, b)]
            assert links[0] == links[1], rel


def test_zensical_pages_have_no_axe_violations(builds, plan, browser):
    """axe-core (WCAG 2.0/2.1 A and AA) on one page of each kind per language, desktop width."""
    from server import serve
    from test_browser import AXE, _axe, _need

    _need(AXE.exists(), "the npm package axe-core")
    site, _ = builds["zensical"]
    sample = []
    for edition in plan.editions:
        kinds = {}
        for page in edition.pages:
            kinds.setdefault(page.kind, edition.folder + page.path)
        sample += list(kinds.values())
    found = {}
    with serve(site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        for path in sample:
            tab.goto(base + path)
            violations = _axe(tab)
            if violations:
                found[path] = violations
        context.close()
    assert not found, json.dumps(found, indent=1)[:4000]


def test_no_page_is_made_by_a_hook():
    """Nothing depends on MkDocs hooks (Zensical ignores them): the configuration names none."""
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert not config.get("hooks")

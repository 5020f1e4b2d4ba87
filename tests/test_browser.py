"""The built site in a real browser (Debian's Chromium driven by Playwright): axe-core WCAG 2.0/2.1/2.2
A and AA rules on every page at a desktop and a phone viewport, the Nu Html Checker on every
page, and a keyboard walk to a Download PDF link.

Locally a missing Chromium, Java or npm package skips these tests with what to install; in CI
(``CI=true``) it fails them."""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import subprocess
import threading

import pytest

from conftest import ROOT, need as _need
from helpers import urls

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Rules switched off, each with the reason. Keep this list empty unless a rule cannot apply.
AXE_DISABLED: dict[str, str] = {}


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def server(site):
    """The built site on a local HTTP server: (base URL, list of page paths)."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    # admin/ is the web editor (Sveltia CMS): its Content-Security-Policy refuses injected
    # scripts, so tests/test_cms.py runs axe on its screens with the policy bypassed.
    # Pages that send the browser straight on (meta refresh: a folder such as resources/, an
    # old URL after a rename) are left out: a browser leaves them at once for the page they
    # lead to, which is audited itself (the Nu Html Checker still reads them).
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html")
                   if not p.relative_to(site).as_posix().startswith("admin/") and 'http-equiv="refresh"' not in p.read_text(encoding="utf-8"))
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", pages
    httpd.shutdown()


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": {r: {"enabled": False} for r in AXE_DISABLED}}
    result = page.evaluate("opts => axe.run(document, opts)", options)
    return [
        {"rule": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5], "help": v["help"]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_axe_finds_no_violations_on_any_page(browser, server, viewport):
    _need(AXE.exists(), "the npm package axe-core")
    base, pages = server
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    found = {}
    for path in pages:
        page.goto(base + path.removesuffix("index.html"))
        violations = _axe(page)
        if violations:
            found[path] = violations
    context.close()
    assert not found, json.dumps(found, indent=1)[:6000]


def test_resource_pages_fit_a_phone_and_every_choice_is_on_screen(browser, server):
    """On a phone, no resource page scrolls sideways (a wide fill-in table scrolls in its own
    box), every choice of every rating and option group is within the screen's width, so
    it can be seen and tapped without a sideways scroll nobody knows about, and every answer
    box outside a table is at least a third of the screen wide (room to type a date or a
    name, and for its label's words)."""
    base, pages = server
    width = VIEWPORTS["phone"]["width"]
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    found = {}
    resource_pages = [p for p in pages if "resources/" in p and p.endswith("/index.html")]
    assert resource_pages
    for path in resource_pages:
        page.goto(base + path.removesuffix("index.html"))
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        off = page.evaluate("""w => [...document.querySelectorAll('.tk-rating input.tk-box, .tk-options input.tk-box')]
            .filter(e => { const r = e.getBoundingClientRect(); return r.left < 0 || r.right > w; })
            .map(e => e.id)""", width)
        narrow = page.evaluate("""w => [...document.querySelectorAll('.tk-field input[type=text], .tk-field textarea')]
            .filter(e => !e.closest('table') && e.getBoundingClientRect().width < w / 3).map(e => e.id)""", width)
        if wide > width or off or narrow:
            found[path] = {"page width": wide, "choices off screen": off[:5], "narrow answer boxes": narrow[:5]}
    context.close()
    assert not found, json.dumps(found, indent=1)[:4000]


def test_nu_html_checker_finds_no_errors(site):
    _need(VNU.exists(), "the npm package vnu-jar")
    _need(shutil.which("java") is not None, "Java (apt-get install default-jre-headless)")
    pages = sorted(str(p) for p in site.rglob("*.html"))
    proc = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json", *pages],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr or "{}").get("messages", [])
    errors = [f"{m.get('url', '').split('/site/')[-1]}:{m.get('lastLine')}: {m.get('message')}" for m in messages if m.get("type") == "error"]
    assert not errors, "\n".join(errors[:40])


def test_keyboard_reaches_and_follows_the_download_link(browser, server, toolkit):
    base, _ = server
    rid = next(iter(toolkit.resources))  # any resource page: they share one layout
    context = browser.new_context(viewport=VIEWPORTS["desktop"], accept_downloads=True)
    page = context.new_page()
    page.goto(base + urls.resource_page(rid))
    page.keyboard.press("Tab")
    first = page.evaluate("() => ({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})")
    assert first["href"] and first["href"].startswith("#"), f"first Tab stop should be a skip link, got {first}"
    for _ in range(80):
        info = page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, cls: e.className, text: e.textContent.trim(), href: e.getAttribute('href'), outline: s.outlineStyle, shadow: s.boxShadow}; }""")
        if info["text"].startswith("Download PDF"):
            break
        assert info["outline"] != "none" or info["shadow"] != "none", f"no visible focus on {info}"
        page.keyboard.press("Tab")
    else:
        pytest.fail("Tab never reached the Download PDF link")
    assert info["outline"] != "none" or info["shadow"] != "none"
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"{rid}.pdf"
    context.close()


def test_the_language_switch_keeps_the_place_on_the_page(browser, server, toolkit):
    """Switching language from a section of a page (an address with #…) opens the other
    language's page at the same section: both languages give it the same id."""
    base, _ = server
    lang = next(iter(toolkit.editions))
    page = browser.new_page(viewport=VIEWPORTS["desktop"])
    page.goto(base + urls.CONTINUUM)
    target = page.locator("article [id]").nth(1).get_attribute("id")
    page.goto(base + urls.CONTINUUM + "#" + target)
    page.locator(".md-header__option .md-select button").hover()
    page.locator(f"a.md-select__link[hreflang={lang}]").click()
    page.wait_for_url(f"**/{lang}/{urls.CONTINUUM}*")
    assert page.url == f"{base}{lang}/{urls.CONTINUUM}#{target}"
    assert page.locator(f"#{target}").count() == 1
    page.close()

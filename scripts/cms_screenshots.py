"""Take the pictures of the web editor that CONTRIBUTING.md shows ("Editing in the browser"),
with Debian's Chromium and Playwright, into ``contributing-images/``.

    .venv/bin/python scripts/cms_screenshots.py

The sign-in picture uses the real configuration (GitHub); the others use the CMS's test-repo
backend preloaded with this project's content (``tests/cms_editor.py``), so nothing is saved
anywhere. Run it again after a CMS upgrade or a change to the configuration.
"""
from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from cms_editor import ARGS, CHROMIUM, Editor, content_files, make_admin_site, serve  # noqa: E402

OUT = ROOT / "contributing-images"
VIEWPORT = {"width": 1100, "height": 720}


def _first_checklist() -> tuple[str, dict]:
    import yaml

    for path in sorted((ROOT / "content" / "resources").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if data.get("kind") == "checklist":
            return path.stem, data
    raise SystemExit("no checklist in content/resources")


def main() -> int:
    from playwright.sync_api import sync_playwright

    from macros import cms

    OUT.mkdir(exist_ok=True)
    slug, data = _first_checklist()
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        # (On localhost the editor also offers "Work with Local Repository"; staff on the site's
        # own address do not see that button: CONTRIBUTING.md says so under the picture.)
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # 1. the sign-in screen with the real configuration
        real = Path(tmp) / "real"
        cms.write_admin(real)
        with serve(real) as base:
            page = browser.new_page(viewport=VIEWPORT)
            page.route("https://www.githubstatus.com/**", lambda route: route.fulfill(json={"status": {"indicator": "none"}}))
            page.goto(base + "admin/")
            page.get_by_role("button", name=re.compile("GitHub")).first.wait_for()
            page.screenshot(path=OUT / "cms-1-sign-in.png")
            page.close()
        # 2–5. the editor on a copy of the content
        with serve(make_admin_site(Path(tmp) / "test")) as base:
            editor = Editor(browser.new_page(viewport=VIEWPORT), base)
            editor.open(content_files(ROOT))
            editor.page.goto(base + "admin/#/collections/checklists")
            editor.page.get_by_text(data["title"]).first.wait_for()
            editor.page.wait_for_timeout(500)
            editor.page.screenshot(path=OUT / "cms-2-checklists.png")
            editor.entry("checklists", slug)
            editor.page.wait_for_timeout(500)
            editor.page.screenshot(path=OUT / "cms-3-entry.png")
            editor.expand("phases")
            editor.expand("phases.0.items")
            editor.field("phases.0.items.0.text").fill(data["phases"][0]["items"][0]["text"].rstrip(".") + ", in your own words.")
            n = len(data["phases"][0]["items"])
            editor.add("phases.0.items", "item")
            editor.field(f"phases.0.items.{n}.id").fill("bring-a-pen")
            editor.field(f"phases.0.items.{n}.text").fill("Bring a pen that works.")
            editor.page.wait_for_timeout(300)
            editor.page.screenshot(path=OUT / "cms-4-new-item.png")
            editor.field(f"phases.0.items.{n}.id").fill("Bring a pen")
            editor.page.get_by_role("button", name="Save", exact=True).click()
            editor.page.wait_for_timeout(800)
            editor.field(f"phases.0.items.{n}.id")
            editor.page.wait_for_timeout(300)
            editor.page.screenshot(path=OUT / "cms-5-error.png")
        browser.close()
    for png in sorted(OUT.glob("cms-*.png")):
        print(f"wrote {png.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    shutil.which("chromium") or print("Chromium not found: apt-get install chromium", file=sys.stderr)
    sys.exit(main())

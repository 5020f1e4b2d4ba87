"""Drive the web editor (/admin/, Sveltia CMS) in Debian's Chromium with Playwright, against
the CMS's ``test-repo`` backend preloaded with a project's content files.

The test-repo backend keeps its files in the browser's origin-private file system (OPFS), in the
folder ``sveltia-cms-test`` (see the bundle: ``navigator.storage.getDirectory()``); this module
writes a project's files there before the editor opens and reads them back after a save.
Used by tests/test_cms.py and by ``scripts/cms_screenshots.py`` (CONTRIBUTING.md pictures).
"""
from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import yaml

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
OPFS_FOLDER = "sveltia-cms-test"

_WRITE = """async files => {
  const root = await navigator.storage.getDirectory();
  try { await root.removeEntry(%r, {recursive: true}); } catch (e) {}
  const dir = await root.getDirectoryHandle(%r, {create: true});
  for (const [path, text] of Object.entries(files)) {
    let d = dir; const parts = path.split('/');
    for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p, {create: true});
    const w = await (await d.getFileHandle(parts.at(-1), {create: true})).createWritable();
    await w.write(text); await w.close();
  }
}""" % (OPFS_FOLDER, OPFS_FOLDER)

_READ = """async path => {
  let d = await (await navigator.storage.getDirectory()).getDirectoryHandle(%r);
  const parts = path.split('/');
  for (const p of parts.slice(0, -1)) d = await d.getDirectoryHandle(p);
  return await (await (await d.getFileHandle(parts.at(-1))).getFile()).text();
}""" % OPFS_FOLDER


def make_admin_site(folder: Path) -> Path:
    """A site folder holding only ``admin/`` (:func:`macros.cms.write_admin`) and a blank home
    page, its configuration switched to the ``test-repo`` backend. Returns ``folder``."""
    from macros import cms

    admin = cms.write_admin(folder)
    config = yaml.safe_load((admin / "config.yml").read_text(encoding="utf-8"))
    config["backend"] = {"name": "test-repo"}
    (admin / "config.yml").write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (folder / "index.html").write_text('<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>test</title></head><body></body></html>', encoding="utf-8")
    return folder


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` on 127.0.0.1; yields the base URL (ending in ``/``)."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()


def content_files(root: Path) -> dict[str, str]:
    """The English content files of a project, ``{"content/…": text}`` (what the editor edits)."""
    out = {}
    for path in sorted((root / "content").rglob("*.yml")):
        rel = path.relative_to(root).as_posix()
        if not rel.startswith("content/translations/"):
            out[rel] = path.read_text(encoding="utf-8")
    return out


class Editor:
    """One browser page on the editor. ``requests`` lists every URL the page asked for,
    ``console`` every ``(type, text)`` it logged from the moment the editor was opened."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.requests: list[str] = []
        self.console: list[tuple[str, str]] = []

    def open(self, files: dict[str, str]) -> None:
        """Preload ``files`` into the test repository, open /admin/ and sign in to it."""
        self.page.goto(self.base)
        self.page.evaluate(_WRITE, files)
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.goto(self.base + "admin/")
        self.page.get_by_role("button", name=re.compile("Test Repository")).click()
        self.page.get_by_role("navigation").first.wait_for()

    def entry(self, collection: str, slug: str) -> None:
        self.page.goto(f"{self.base}admin/#/collections/{collection}/entries/{slug}")
        self.page.locator('[data-key-path="title"]').wait_for()

    def reveal(self, key_path: str, seconds: float = 30):
        """The element of the field at ``key_path``, scrolled into view. The editor draws fields
        only as they come into view, so scroll down until it is there (for up to ``seconds``:
        on a busy machine the editor can take seconds to draw a field it just added).

        Raises:
            AssertionError: the field never appeared.
        """
        import time

        target = self.page.locator(f'[data-key-path="{key_path}"]')
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if target.count():
                target.first.scroll_into_view_if_needed()
                return target.first
            self.page.locator("[data-key-path]").last.scroll_into_view_if_needed()
            self.page.mouse.wheel(0, 600)
            self.page.wait_for_timeout(150)
        raise AssertionError(f"the editor shows no field {key_path}")

    def field(self, key_path: str):
        """The text box of the field at ``key_path`` (``phases.0.items.3.text``), scrolled to."""
        box = self.reveal(key_path).locator(
            'input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"]), textarea, [role="textbox"]').first
        box.scroll_into_view_if_needed()
        return box

    def expand(self, list_path: str) -> None:
        """Open every entry of the list at ``list_path`` (the editor shows lists collapsed)."""
        group = self.reveal(list_path)
        expand = group.get_by_role("button", name="Expand All").first
        if expand.is_enabled():
            expand.click()

    def add(self, list_path: str, singular: str, first_field: str) -> None:
        """Press the Add button of the list at ``list_path`` and wait until the new entry's
        ``first_field`` (``phases.0.items.5.id``) is there. On a busy machine the editor can miss
        a press while it redraws the list after an edit (seen once in CI: nothing was added):
        then it is pressed again, up to three times in all.

        Raises:
            AssertionError: no new entry appeared.
        """
        for _ in range(3):
            self.reveal(list_path).get_by_role("button", name=re.compile(f"Add.*{singular}")).last.click()
            try:
                self.reveal(first_field, seconds=10)
                return
            except AssertionError:
                continue
        raise AssertionError(f"pressing Add in {list_path} added no entry")

    def save(self, path: str, before: str | None) -> str:
        """Press Save and wait (up to 15 s) until ``path`` differs from ``before`` and the editor
        has closed the entry (it goes back to the collection's list a moment after it writes the
        file: opening another entry before that would be undone by it); returns the new text.

        Raises:
            AssertionError: the file did not change (the editor refused to save: see its errors).
        """
        self.page.get_by_role("button", name="Save", exact=True).click()
        for _ in range(60):
            try:
                text = self.read(path)
            except Exception:  # noqa: BLE001 - a new file that is not there yet
                text = None
            if text is not None and text != before:
                self.page.wait_for_url(re.compile(r"#/collections/[^/]+$"), timeout=15_000)
                return text
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{path} was not saved; the editor says: {self.page.locator('[role=alert]').all_inner_texts()}")

    def read(self, path: str) -> str:
        """The text of ``path`` in the test repository now."""
        return self.page.evaluate(_READ, path)

"""The toolkit offline: one service worker per language, generated at build time from the
built site folder by ``workbox-build`` (npm, pinned in package.json; run with Node.js).

What each language's worker (``sw.js`` at the language's root: the site root for English,
``es/`` for Spanish) precaches, with a revision (content hash) per file:

* every page of that language (``**/*.html``), its search index, ``resources.json`` and
  ``sitemap.xml``;
* its assets: stylesheets, scripts (pdf-lib for the filled-in PDF included), fonts, images;
  of Material's search-language files only those the toolkit's languages use;
* **every PDF of that language** (resources and packets): about 0.75 MB per language today,
  so a student who opened one page can open any sheet offline, and the page and the PDF
  always come from the same build.

The other language is left to its own worker (registered when a page of it is opened), so a
visit costs one language's files, not both. A new build changes the revisions, so the
browser installs the new worker in the background; it waits until the reader asks for it
("Update available — Reload", :file:`macros/assets/offline.js`) or closes every tab, and the
old worker keeps serving the old build's pages and PDFs together until then.

Every URL in a worker's list is relative to the worker, so the site works under a sub-path
(``site_url`` with a path) and from a PR preview folder.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from macros import i18n

ROOT = Path(__file__).resolve().parent.parent
WORKBOX = ROOT / "node_modules" / "workbox-build"

#: Service worker file name, at each language's root.
SW_NAME = "sw.js"

_NODE_SCRIPT = """
const {generateSW} = require(process.argv[1]);
const options = JSON.parse(process.argv[2]);
options.ignoreURLParametersMatching = options.ignoreURLParametersMatching.map((source) => new RegExp(source));
generateSW(options).then(({count, size, warnings}) => {
  for (const w of warnings) console.error("workbox: " + w);
  console.log(JSON.stringify({count, size}));
}).catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); });
"""


def _options(folder: Path, lang: str, nested_languages: list[str]) -> dict:
    """workbox-build ``generateSW`` options for the language whose site is ``folder``;
    ``nested_languages`` are the language folders inside it, left to their own workers."""
    lunr = folder / "assets" / "javascripts" / "lunr"
    wanted = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{code}.min.js" for code in i18n.LANGUAGES}
    unused_lunr = sorted(p.relative_to(folder).as_posix() for p in lunr.rglob("*") if p.is_file() and p.name not in wanted) if lunr.is_dir() else []
    return {
        "globDirectory": str(folder),
        "globPatterns": ["**/*.{html,css,js,json,xml,woff,woff2,ttf,otf,svg,png,ico,webmanifest,pdf}"],
        "globIgnores": [*(f"{other}/**" for other in nested_languages), SW_NAME, "**/*.map", *unused_lunr],
        "swDest": str(folder / SW_NAME),
        "mode": "production",
        "inlineWorkboxRuntime": True,
        "sourcemap": False,
        "skipWaiting": False,   # a new build waits for the reader ("Reload") or closed tabs
        "clientsClaim": True,   # the first visit's open page is served offline at once
        "cleanupOutdatedCaches": True,
        "directoryIndex": "index.html",
        # query parameters that do not change the file: Material's search highlight (?h=word)
        # on the links of search results, and campaign tags (regular expressions)
        "ignoreURLParametersMatching": ["^h$", "^utm_", "^fbclid$"],
        "maximumFileSizeToCacheInBytes": 20 * 1024 * 1024,
        "cacheId": f"wbl-toolkit-{lang}",
    }


def write_service_worker(site_folder: Path, languages: tuple[str, ...] = i18n.LANGUAGES, timeout: float = 300) -> dict[str, int]:
    """Write ``sw.js`` for each language into the built ``site_folder`` (English at its root,
    every other language under ``<lang>/``), precaching that language's pages, assets, search
    index and PDFs as they are in ``site_folder`` now; call it after every page and PDF is in
    place. Returns ``{language: number of files precached}``.

    Raises:
        RuntimeError: Node.js or the npm package workbox-build is missing (``make setup``), or
            workbox-build failed (its message is included).
    """
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("Node.js is needed to write the service worker (run `make setup`)")
    if not (WORKBOX / "package.json").is_file():
        raise RuntimeError(f"{WORKBOX} is missing: run `make setup` (npm package workbox-build)")
    site_folder = Path(site_folder)
    counts: dict[str, int] = {}
    for lang in languages:
        folder = site_folder if lang == languages[0] else site_folder / lang
        if not folder.is_dir():
            continue
        nested = [code for code in languages if code != lang] if lang == languages[0] else []
        options = _options(folder, lang, nested)
        proc = subprocess.run(
            [node, "-e", _NODE_SCRIPT, str(WORKBOX), json.dumps(options)],
            capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"workbox-build failed for {lang}:\n{proc.stderr.strip()}")
        counts[lang] = json.loads(proc.stdout.strip().splitlines()[-1])["count"]
    return counts

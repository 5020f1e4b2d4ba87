"""The toolkit offline: one service worker per language, generated at build time from the
built site folder by ``workbox-build``'s ``injectManifest`` (npm, pinned in package.json; run
with Node.js): a short worker source (:data:`_SW_TEMPLATE`) gets the list of files to
precache, and the Workbox runtime it uses (``workbox-sw`` and four modules, about 40 KB) is
copied into ``workbox-v<version>/`` beside it. (``generateSW`` bundled and minified the
runtime anew for every build: about 3.5 s per language; this takes about 1 s for both.)

What each language's worker (``sw.js`` at the language's root: the site root for English,
``es/`` for Spanish) precaches, with a revision (content hash) per file:

* every page of that language (``**/*.html``), its search index, ``resources.json`` and
  ``sitemap.xml``;
* its assets: stylesheets, scripts (pdf-lib for the filled-in PDF included), fonts, images
  (not the answer font and fontkit, :data:`macros.browser_assets.ON_DEMAND`);
  of Material's search-language files only those the toolkit's languages use (not the web
  editor, ``admin/``: about 3 MB that readers never use);
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
import tempfile
from pathlib import Path

from macros import browser_assets, i18n

ROOT = Path(__file__).resolve().parent.parent
WORKBOX = ROOT / "node_modules" / "workbox-build"

#: Service worker file name, at each language's root.
SW_NAME = "sw.js"

#: The Workbox modules the worker uses, copied from node_modules into ``workbox-v<version>/``
#: at each language's root and loaded by ``workbox-sw`` (so no CDN is ever asked).
WORKBOX_MODULES = ("workbox-sw/build/workbox-sw.js", "workbox-core/build/workbox-core.prod.js",
                   "workbox-precaching/build/workbox-precaching.prod.js",
                   "workbox-routing/build/workbox-routing.prod.js",
                   "workbox-strategies/build/workbox-strategies.prod.js")

#: The worker's source; ``injectManifest`` puts the precache list at ``self.__WB_MANIFEST``.
_SW_TEMPLATE = """/* WBL Toolkit offline service worker ({lang}); written by macros/offline.py with
   workbox-build's injectManifest. Workbox runs from the site's own copy in {runtime}/. */
importScripts("{runtime}/workbox-sw.js");
workbox.setConfig({{ modulePathPrefix: "{runtime}/", debug: false }});
workbox.core.setCacheNameDetails({{ prefix: "wbl-toolkit-{lang}" }});
workbox.core.clientsClaim();
/* A new build waits until the reader asks for it ("Reload", assets/toolkit/offline.js). */
self.addEventListener("message", (event) => {{
  if (event.data && event.data.type === "SKIP_WAITING") self.skipWaiting();
}});
workbox.precaching.cleanupOutdatedCaches();
workbox.precaching.precacheAndRoute(self.__WB_MANIFEST, {{
  directoryIndex: "index.html",
  /* query parameters that do not change the file: Material's search highlight (?h=word)
     on the links of search results, and campaign tags */
  ignoreURLParametersMatching: [/^h$/, /^utm_/, /^fbclid$/],
}});
"""

# One Node.js process for every language: injectManifest only lists and hashes the files
# (no bundling), so a build spends about a second here, not several. The process loads
# workbox-build at once and then waits for the options on its standard input, so a build can
# start it early (:class:`Writer`) and not wait for Node.js at the end.
_NODE_SCRIPT = """
const {injectManifest} = require(process.argv[1]);
let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => (async () => {
  const out = {};
  for (const [lang, options] of Object.entries(JSON.parse(input))) {
    const {count, warnings} = await injectManifest(options);
    for (const w of warnings) console.error("workbox: " + w);
    out[lang] = count;
  }
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(String(error && error.stack || error)); process.exit(1); }));
"""


def _runtime_folder() -> str:
    """``workbox-v<version>``: the folder of the Workbox runtime at each language's root."""
    version = json.loads((ROOT / "node_modules" / "workbox-sw" / "package.json").read_text(encoding="utf-8"))["version"]
    return f"workbox-v{version}"


def _options(folder: Path, nested_languages: list[str], sw_src: Path) -> dict:
    """workbox-build ``injectManifest`` options for the language whose site is ``folder``;
    ``nested_languages`` are the language folders inside it, left to their own workers."""
    lunr = folder / "assets" / "javascripts" / "lunr"
    wanted = {"lunr.stemmer.support.min.js", "lunr.multi.min.js"} | {f"lunr.{code}.min.js" for code in i18n.LANGUAGES}
    unused_lunr = sorted(p.relative_to(folder).as_posix() for p in lunr.rglob("*") if p.is_file() and p.name not in wanted) if lunr.is_dir() else []
    return {
        "globDirectory": str(folder),
        "globPatterns": ["**/*.{html,css,js,json,xml,woff,woff2,ttf,otf,svg,png,ico,webmanifest,pdf}"],
        # the Workbox runtime is loaded by importScripts, which the browser keeps with the worker
        # the web editor (admin/, ~3 MB) is for editors online, not for readers offline; the
        # wider answer font and fontkit (~1 MB) only for a filled-in PDF with letters outside
        # the form font (offline, forms.js puts "?" for them and says so)
        "globIgnores": [*(f"{other}/**" for other in nested_languages), SW_NAME, "**/*.map", "workbox-v*/**",
                        "admin/**", *unused_lunr, *(f"assets/toolkit/{name}" for name in browser_assets.ON_DEMAND)],
        "swSrc": str(sw_src),
        "swDest": str(folder / SW_NAME),
        "maximumFileSizeToCacheInBytes": 20 * 1024 * 1024,
    }


class Writer:
    """A Node.js process with workbox-build loaded, waiting to write the service workers
    (:meth:`write`). Start it early; it costs nothing while it waits.

    Raises (on creation):
        RuntimeError: Node.js or the npm package workbox-build is missing (``make setup``).
    """

    def __init__(self) -> None:
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("Node.js is needed to write the service worker (run `make setup`)")
        if not (WORKBOX / "package.json").is_file():
            raise RuntimeError(f"{WORKBOX} is missing: run `make setup` (npm package workbox-build)")
        # in its own process group: a Ctrl-C in the terminal stops the build (which then
        # stops this process, :meth:`close`), not workbox-build mid-write with an error of its own
        self.proc = subprocess.Popen([node, "-e", _NODE_SCRIPT, str(WORKBOX)], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                     process_group=0)

    def write(self, site_folder: Path, languages: tuple[str, ...] = i18n.LANGUAGES, timeout: float = 300) -> dict[str, int]:
        """Write ``sw.js`` for each language into the built ``site_folder`` (English at its
        root, every other language under ``<lang>/``) with the Workbox runtime beside it,
        precaching that language's pages, assets, search index and PDFs as they are in
        ``site_folder`` now; call it after every page and PDF is in place. Once only.
        Returns ``{language: number of files precached}``.

        Raises:
            RuntimeError: workbox-build failed (its message is included).
        """
        site_folder = Path(site_folder)
        runtime = _runtime_folder()
        options = {}
        with tempfile.TemporaryDirectory() as tmp:
            for lang in languages:
                folder = site_folder if lang == languages[0] else site_folder / lang
                if not folder.is_dir():
                    continue
                (folder / runtime).mkdir(exist_ok=True)
                for module in WORKBOX_MODULES:
                    shutil.copyfile(ROOT / "node_modules" / module, folder / runtime / Path(module).name)
                sw_src = Path(tmp) / f"sw-{lang}.js"
                sw_src.write_text(_SW_TEMPLATE.format(lang=lang, runtime=runtime), encoding="utf-8")
                nested = [code for code in languages if code != lang] if lang == languages[0] else []
                options[lang] = _options(folder, nested, sw_src)
            try:
                out, err = self.proc.communicate(json.dumps(options), timeout=timeout)
            except subprocess.TimeoutExpired:
                self.close()
                raise RuntimeError(f"workbox-build took longer than {timeout:.0f} s") from None
        if self.proc.returncode != 0:
            raise RuntimeError(f"workbox-build failed:\n{err.strip()}")
        return json.loads(out.strip().splitlines()[-1])

    def close(self) -> None:
        """Stop the process if it is still waiting (e.g. the build failed before the end)."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.communicate()


def write_service_worker(site_folder: Path, languages: tuple[str, ...] = i18n.LANGUAGES, timeout: float = 300) -> dict[str, int]:
    """Write every language's ``sw.js`` into ``site_folder`` now (see :meth:`Writer.write`).

    Raises:
        RuntimeError: Node.js or workbox-build is missing, or workbox-build failed.
    """
    return Writer().write(site_folder, languages, timeout)

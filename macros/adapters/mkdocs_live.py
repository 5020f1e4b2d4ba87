"""MkDocs' live-reload server, tuned for the toolkit's preview (:mod:`macros.adapters.serve`).

``python -m macros.adapters.mkdocs_live CONFIG_FILE HOST:PORT`` does what ``mkdocs serve
--dirty --no-strict`` does (the same :class:`mkdocs.livereload.LiveReloadServer`, the same
builds, the same ``/livereload/`` long-poll), with three differences that take a page edit
from about 1.5 s to about 0.5 s on 2 cores:

* it looks for changed sources every 0.05 s instead of every 0.5 s, and starts building
  0.02 s after the last change instead of 0.1 s (the preview writes all sources of an edit at
  once);
* the theme's Jinja templates are compiled once per process, not once per build (an
  in-memory :class:`jinja2.BytecodeCache`, set through the plugin event ``on_env``; a template
  whose source changes is compiled again);
* builds are dirty (only page sources newer than their built page are rendered again) unless
  the configuration (the navigation) or :data:`FULL_BUILD_MARK` (the preview rewrites it
  after a change of code or theme) changed since the last build: then every page is built.
  MkDocs' own warning about dirty builds is not printed on every save.

The generator's strict mode is off (it counts that warning as a failure); ``make build`` keeps
it.
"""
from __future__ import annotations

import logging
import shutil
import sys
import tempfile
from urllib.parse import urlsplit

import jinja2
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin

from macros import stopping

#: Seconds between two looks at the sources, and the quiet time before a build starts.
POLL_INTERVAL = 0.05
BUILD_DELAY = 0.02


#: A file in the source folder the preview rewrites when every page must be built again
#: (a theme or code change); a dot file, so MkDocs does not publish it.
FULL_BUILD_MARK = ".preview-full-build"


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


class _PreviewPlugin(BasePlugin):
    """Gives every build's theme environment the process's bytecode cache."""

    def __init__(self, cache: jinja2.BytecodeCache):
        super().__init__()
        self.cache = cache

    def on_env(self, env, *, config, files):
        env.bytecode_cache = self.cache
        return env


class _NoDirtyWarning(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


def main(argv: list[str] | None = None) -> int:
    """Serve ``CONFIG_FILE`` at ``HOST:PORT`` until interrupted; returns 0 (2 on bad
    arguments). Messages go to stderr in MkDocs' format."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m macros.adapters.mkdocs_live CONFIG_FILE HOST:PORT", file=sys.stderr)
        return 2
    config_file, address = args
    host, _, port = address.rpartition(":")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_NoDirtyWarning())
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)

    stopping.stop_on_signals()
    stopping.stop_with_parent()
    site_dir = tempfile.mkdtemp(prefix="wbl-preview-")
    config = server = None
    try:
        from macros.render import MemoryBytecodeCache

        cache = MemoryBytecodeCache()

        def get_config():
            config = load_config(config_file=config_file, site_dir=site_dir, strict=False)
            config.plugins["wbl-preview"] = _PreviewPlugin(cache)
            return config

        config = get_config()
        config.plugins.on_startup(command="serve", dirty=True)
        mount_path = "/" + urlsplit(config.site_url or "/").path.strip("/")
        mount_path = mount_path.rstrip("/") + "/"
        serve_url = f"http://{host}:{port}{mount_path}"

        built_from: list[bytes] = []  # what the navigation and the theme were at the last build

        def builder(config=None):
            config = config or get_config()
            config.site_url = serve_url
            now = _read(config_file) + b"\0" + _read(f"{config.docs_dir}/{FULL_BUILD_MARK}")
            dirty = built_from == [now]
            logger.info("Building documentation (%s)...", "changed pages" if dirty else "every page")
            built_from[:] = [now]
            build(config, serve_url=serve_url, dirty=dirty)

        server = LiveReloadServer(builder=builder, host=host, port=int(port), root=site_dir, mount_path=mount_path,
                                  polling_interval=POLL_INTERVAL)
        server.build_delay = BUILD_DELAY

        def error_page(code: int) -> bytes | None:
            try:
                with open(f"{site_dir}/{code}.html", "rb") as f:
                    return f.read()
            except OSError:
                return None

        server.error_handler = error_page
        config.site_url = serve_url
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config_file)
        config.plugins.on_serve(server, config=config, builder=builder)
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        with stopping.ignored():
            if server is not None:
                server.shutdown()
            if config is not None:
                config.plugins.on_shutdown()
            shutil.rmtree(site_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

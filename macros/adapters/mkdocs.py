"""MkDocs + Material adapter: builds a written source folder (:mod:`macros.adapters.source`).

``mkdocs build --strict`` runs as its own process, one process for every language edition
(:mod:`macros.adapters.mkdocs_batch`; it exits non-zero on any warning: a broken link, a bad
anchor). Run without ``-q``/``-v``: with either, MkDocs 1.6 hides some
strict-mode warnings (see ../shared/GUIDE.md). Afterwards two spots of Material's own
templates that the Nu Html Checker reports as invalid are mended in the written HTML
(:func:`macros.adapters.mend.mend_html`), and Material's search index gets each page's words
without accents, so a search typed without them finds them (:mod:`macros.adapters.search_fold`).
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from macros.adapters.mend import mend_site
from macros.adapters.search_fold import fold_index

#: Name shown in messages.
NAME = "MkDocs"
#: The live server (:mod:`macros.adapters.mkdocs_live`) builds every page when its
#: configuration changed: the preview need not touch the sources.
FULL_BUILD_ON_CONFIG = True
#: The signal that stops the live server cleanly (:mod:`macros.adapters.mkdocs_live`); sent
#: before it has set its handlers up, it ends the process, which has made nothing to remove yet.
STOP_SIGNAL = signal.SIGTERM


def prepare(cfg: dict, root: Path) -> dict:
    """Adapt the generated configuration for MkDocs: mkdocs-macros finds ``module_name``
    relative to the configuration file's folder, so name the project's package by its
    absolute path."""
    for plugin in cfg.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("macros"), dict):
            plugin["macros"] = {**plugin["macros"], "module_name": str(root / plugin["macros"].get("module_name", "macros"))}
    return cfg


def build(config_file: Path, env: dict[str, str] | None = None) -> int:
    """Build the site described by ``config_file`` into its ``site_dir``. Returns MkDocs'
    exit code (0 on success); its messages go to this process's stderr."""
    return build_many([config_file], env)


def build_many(config_files: list[Path], env: dict[str, str] | None = None) -> int:
    """Build each site in ``config_files`` (one per language edition) into its ``site_dir``,
    in one MkDocs process (:mod:`macros.adapters.mkdocs_batch`; the project folder must be on
    ``PYTHONPATH``). Returns 0 when all built, else MkDocs' exit code; its messages go to this
    process's stderr."""
    env = dict(os.environ if env is None else env, NO_MKDOCS_2_WARNING="1")
    root = str(Path(__file__).resolve().parent.parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys([root, *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]))
    run = subprocess.run([sys.executable, "-m", "macros.adapters.mkdocs_batch", *map(str, config_files)], env=env)
    if run.returncode == 0:
        import yaml

        for config_file in config_files:
            site_dir = Path(yaml.safe_load(Path(config_file).read_text(encoding="utf-8"))["site_dir"])
            mend_site(site_dir)
            fold_index(site_dir)
    return run.returncode


def serve_command(config_file: Path, address: str) -> list[str]:
    """The command that serves ``config_file`` live at ``address`` (``host:port``): MkDocs'
    own live-reload server, run by :mod:`macros.adapters.mkdocs_live` with dirty builds and
    a quicker watch (the project folder must be on ``PYTHONPATH``)."""
    return [sys.executable, "-m", "macros.adapters.mkdocs_live", str(config_file), address]

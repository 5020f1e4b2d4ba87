"""Zensical adapter: builds a written source folder (:mod:`macros.adapters.source`) with Zensical,
the successor of Material for MkDocs by the same team (pinned in requirements.txt).

Zensical reads the same ``mkdocs.yml`` configuration and theme overrides (rendered with
MiniJinja, so ``overrides/`` uses only what both engines understand). It ignores MkDocs
``hooks:``, which the toolkit no longer uses: every page arrives finished from the plan.
It has no ``--site-dir`` option; the configuration names the folder.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from macros.adapters.mend import mend_site

#: Name shown in messages.
NAME = "Zensical"


def _command() -> list[str]:
    exe = Path(sys.executable).with_name("zensical")
    return [str(exe)] if exe.exists() else [shutil.which("zensical") or "zensical"]


def prepare(cfg: dict, root: Path) -> dict:
    """Adapt the generated configuration for Zensical: its ``classic`` theme variant, which
    looks like Material for MkDocs (its default, ``modern``, has another header and type).
    The macros package is imported by name (the build puts the project on ``PYTHONPATH``)."""
    cfg["theme"] = {**cfg.get("theme", {}), "variant": "classic"}
    return cfg


def build(config_file: Path, env: dict[str, str] | None = None) -> int:
    """Build the site described by ``config_file`` into its ``site_dir``. Returns Zensical's
    exit code (0 on success; it also fails when it cannot run at all).

    Zensical only writes inside the configuration file's folder, so it builds into
    ``<that folder>/site`` and the result is then moved to ``site_dir``."""
    import yaml

    env = dict(os.environ if env is None else env)
    cfg = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    target = Path(cfg["site_dir"])
    local = config_file.parent / "site"
    own = config_file
    # Folders relative to the configuration file (Zensical's project root).
    docs = os.path.relpath(cfg["docs_dir"], own.parent)
    own.write_text(yaml.safe_dump({**cfg, "docs_dir": docs, "site_dir": os.path.relpath(local, own.parent)},
                                  allow_unicode=True, sort_keys=False), encoding="utf-8")
    try:
        run = subprocess.run([*_command(), "build", "--strict", "--clean", "--config-file", str(own)],
                             env=env, cwd=own.parent)
    except FileNotFoundError:
        print("zensical is not installed; run `make setup`", file=sys.stderr)
        return 127
    if run.returncode == 0:
        mend_site(local)
        target.mkdir(parents=True, exist_ok=True)
        for item in local.iterdir():
            shutil.move(str(item), target / item.name)
    return run.returncode


def prepare_serve(cfg: dict, root: Path, folder: Path) -> dict:
    """:func:`prepare` for ``zensical serve`` on a configuration written into ``folder``: the
    source and site folders relative to it (``zensical serve`` 0.0.x stops with a panic,
    "invariant: Id(Format(Path(RootDir)))", on absolute ones). Run the server in ``folder``."""
    cfg = prepare(cfg, root)
    return {**cfg, "docs_dir": os.path.relpath(cfg["docs_dir"], folder), "site_dir": os.path.relpath(cfg["site_dir"], folder)}


def serve_command(config_file: Path, address: str) -> list[str]:
    """The command that serves ``config_file`` live at ``address`` (``host:port``); run it in
    the configuration's folder, with the configuration from :func:`prepare_serve`."""
    return [*_command(), "serve", "--config-file", str(config_file), "--dev-addr", address]

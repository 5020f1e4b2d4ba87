"""Build several MkDocs configurations in one process, each exactly as ``mkdocs build
--strict --config-file <file>`` would (the same calls as MkDocs 1.6's own ``build_command``,
``mkdocs/__main__.py``), so MkDocs, Material and the plugins are imported once per site build,
not once per language (about 1.3 s CPU each on the project's 2-core machine).

Usage: ``python -m macros.adapters.mkdocs_batch CONFIG [CONFIG ...]``. Exit code 0 when every
configuration built, 1 at the first that did not (its messages are on stderr; the later ones
are not built).
"""
from __future__ import annotations

import logging
import sys


def build_all(config_files: list[str]) -> int:
    """Build each configuration file in turn, strictly. Returns the exit code (see the module
    docstring)."""
    from mkdocs import config, exceptions
    from mkdocs.__main__ import State, _enable_warnings
    from mkdocs.commands import build

    # MkDocs' own log format on stderr, as the command line has it, from warnings up (as
    # `mkdocs build` shows them; strict mode fails on them): its INFO lines and mkdocs-macros'
    # report of the module it found were noise around the build's own summary for editors
    state = State(level=logging.WARNING)
    _enable_warnings()
    for config_file in config_files:
        try:
            cfg = config.load_config(config_file=config_file, strict=True)
            cfg.plugins.on_startup(command="build", dirty=False)
            try:
                build.build(cfg, dirty=False)
            finally:
                cfg.plugins.on_shutdown()
        except exceptions.MkDocsException as exc:
            print(f"Error: {exc}" if not isinstance(exc, exceptions.Abort) else exc, file=sys.stderr)
            return 1
    del state
    return 0


if __name__ == "__main__":
    try:
        sys.exit(build_all(sys.argv[1:]))
    except KeyboardInterrupt:   # Ctrl-C: the build command that started this one reports it
        sys.exit(130)

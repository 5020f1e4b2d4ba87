"""Counts of expensive steps, for tests and the benchmark.

When ``$TOOLKIT_TRACE`` names a file, :func:`note` appends one line per event to it (from any
process of the build), e.g. ``load`` for each load of ``content/`` and ``catalog`` for each
``resources.json`` written. Unset (the normal case), it does nothing.
"""
from __future__ import annotations

import os


def note(event: str) -> None:
    """Append ``event`` and a newline to the file named by ``$TOOLKIT_TRACE``, if set."""
    path = os.environ.get("TOOLKIT_TRACE")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(event + "\n")

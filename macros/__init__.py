"""The WBL Toolkit: content in, a site and print-ready PDFs out.

* :mod:`macros.model`   – typed content model (pydantic)
* :mod:`macros.loader`  – reads and validates ``content/`` into a :class:`~macros.loader.Toolkit`
* :mod:`macros.plan`    – the build plan: every page, PDF and file a build produces
* :mod:`macros.render`  – Jinja2 partials shared by web pages and print HTML
* :mod:`macros.adapters`    – site adapters (MkDocs + Material, Zensical) that build the plan's pages
* :mod:`macros.pdf`     – print HTML -> PDF (WeasyPrint) with a restrictive URL fetcher
* :mod:`macros.build`   – the whole build, top to bottom
* :func:`define_env`    – the mkdocs-macros entry point (``module_name: macros``)

Only :mod:`macros.adapters` and :func:`define_env` know about site generators.
"""
import sys as _sys
from pathlib import Path as _Path

# Zensical loads this file by path (not as an installed package): make `macros.*` importable.
_ROOT = str(_Path(__file__).resolve().parent.parent)
if _ROOT not in _sys.path:
    _sys.path.insert(0, _ROOT)


def define_env(env):  # pragma: no cover - thin adapter, exercised by the site build tests
    """mkdocs-macros (and Zensical) entry point: registers the macros for hand-written pages.
    See :mod:`macros.site_macros`."""
    from macros.site_macros import register

    register(env)

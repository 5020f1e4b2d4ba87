"""The WBL Toolkit's rendering core and its MkDocs adapters.

* :mod:`macros.model`   – typed content model (pydantic)
* :mod:`macros.loader`  – reads and validates ``content/`` into a :class:`~macros.loader.Toolkit`
* :mod:`macros.render`  – Jinja2 partials shared by web pages and print HTML
* :mod:`macros.pdf`     – print HTML -> PDF (WeasyPrint) with a restrictive URL fetcher
* :mod:`macros.hooks`   – the MkDocs hooks (generated pages, nav, fonts, brand CSS)
* :func:`define_env`    – the mkdocs-macros entry point (``module_name: macros``)

Only :mod:`macros.hooks` and :func:`define_env` know about MkDocs.
"""


def define_env(env):  # pragma: no cover - thin adapter, exercised by the site build tests
    """mkdocs-macros entry point: registers the page macros. See :mod:`macros.site_macros`."""
    from macros.site_macros import register

    register(env)

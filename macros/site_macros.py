"""The mkdocs-macros functions for hand-written pages in ``docs/``.

Every page of the toolkit comes finished from the build plan (:mod:`macros.plan`); these
macros are for pages a developer writes by hand in ``docs/`` and marks with
``render_macros: true``, so they can link to content by id and stay right when a title
changes. Both MkDocs (mkdocs-macros) and Zensical call :func:`register` through
:func:`macros.define_env`. The content is loaded only when a page uses a macro.

=============================  ===========================================================
macro                          gives
=============================  ===========================================================
``resource_link(id)``          a Markdown link to a resource page, with its current title
``activity_link(id)``          a Markdown link to an activity page, with its current title
=============================  ===========================================================
"""
from __future__ import annotations

from pathlib import Path

from macros import urls
from macros.site_context import toolkit_for


def _markdown_text(text: str) -> str:
    """``text`` with the characters Markdown would read as markup escaped."""
    return "".join("\\" + c if c in "\\`*_{}[]()#+-.!<>|" else c for c in text)


def register(env) -> None:
    """Register the macros on a mkdocs-macros ``env`` (its ``define_env`` hook).

    Raises (when a macro runs): KeyError for an unknown id; ContentError for invalid content.
    """
    root = Path(__file__).resolve().parent.parent  # the project (the generator runs elsewhere)
    lang = (env.conf.get("extra") or {}).get("toolkit_language", "en")
    page_path = lambda: getattr(getattr(env, "page", None), "url", "") or ""  # noqa: E731

    def edition():
        return toolkit_for(root).edition(lang)

    @env.macro
    def resource_link(resource_id: str) -> str:
        """``[Title](relative URL)`` of the resource ``resource_id``."""
        r = edition().resources[resource_id]
        return f"[{_markdown_text(r.title)}]({urls.relative(urls.resource_page(r.id), page_path())})"

    @env.macro
    def activity_link(activity_id: str) -> str:
        """``[Title](relative URL)`` of the activity ``activity_id``."""
        a = edition().activities[activity_id]
        return f"[{_markdown_text(a.title)}]({urls.relative(urls.activity_page(a.id), page_path())})"

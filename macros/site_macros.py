"""The mkdocs-macros functions available to pages that opt in with ``render_macros: true``.

Each returns an HTML block rendered by :class:`macros.render.Renderer`; the block is inserted
into the page once and never evaluated again, so braces in content stay literal.

=========================  ===============================================================
macro                      renders
=========================  ===============================================================
``home_page()``            the toolkit home page body
``continuum_page()``       the WBL continuum page body
``accessibility_page()``   the accessibility statement
``activity_page(id)``      one activity page (generated for every activity file)
``resource_page(id)``      one resource page (generated for every resource file)
``role_page(id)``          one role page, "For students" … (generated for every audience)
=========================  ===============================================================
"""
from __future__ import annotations

from pathlib import Path

from macros.loader import site_url
from macros.render import Renderer
from macros.site_context import toolkit_for


def register(env) -> None:
    """Register the macros on a mkdocs-macros ``env`` (its ``define_env`` hook)."""
    root = Path(env.project_dir)

    lang = env.conf["extra"].get("toolkit_language", "en")

    def renderer() -> Renderer:
        toolkit = toolkit_for(root).edition(lang)
        return Renderer(toolkit, site_url(toolkit))

    @env.macro
    def home_page() -> str:
        """Home page body."""
        return renderer().home_page()

    @env.macro
    def accessibility_page() -> str:
        """Accessibility statement body."""
        return renderer().accessibility_page()

    @env.macro
    def continuum_page() -> str:
        """WBL continuum page body."""
        return renderer().continuum_page()

    @env.macro
    def activity_page(activity_id: str) -> str:
        """Activity page body for ``activity_id``."""
        return renderer().activity_page(activity_id)

    @env.macro
    def resource_page(resource_id: str) -> str:
        """Resource page body for ``resource_id``."""
        return renderer().resource_page(resource_id)

    @env.macro
    def role_page(audience_id: str) -> str:
        """Role page body for the audience ``audience_id``."""
        return renderer().role_page(audience_id)

"""The PDF renderer's URL fetcher: WeasyPrint may read the project's own assets and font
files, nothing else (no network, no ``data:`` URLs, no file outside the allowed folders)."""
from __future__ import annotations

from pathlib import Path

from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from macros import render


class RefusedURL(FatalURLFetchingError):
    """WeasyPrint was asked to fetch something outside the project's own assets."""


class ProjectOnlyFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves ``file:`` URLs inside ``allowed`` folders only.

    Args:
        allowed: folders whose files may be read (the project's assets and the font package).

    Raises (from :meth:`fetch`):
        RefusedURL: any other scheme (``http``, ``https``, ``ftp``, ``data`` …), a ``file:``
            URL outside ``allowed``, or a path that escapes them through ``..`` or links.
    """

    def __init__(self, allowed: list[Path]):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)
        self.allowed = [p.resolve() for p in allowed]

    def fetch(self, url, headers=None):  # noqa: D102 - documented on the class
        if not url.startswith("file:"):
            raise RefusedURL(f"refused to fetch {url!r}: PDFs may only use the toolkit's own files")
        from urllib.request import url2pathname

        path = Path(url2pathname(url.split("?")[0].split("#")[0].removeprefix("file://").removeprefix("file:"))).resolve()
        if not any(path.is_relative_to(root) for root in self.allowed) or not path.is_file():
            raise RefusedURL(f"refused to fetch {url!r}: only files inside the toolkit's asset folders may be used")
        return URLFetcherResponse(url, body=path.read_bytes(), headers={})


def allowed_roots() -> list[Path]:
    """Folders the PDF renderer may read: ``macros/assets`` and the font packages' files."""
    return [render.ASSETS, render.font_files()[0][2].parent, render.EMOJI_PACKAGE / "files"]

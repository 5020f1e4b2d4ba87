"""One loaded :class:`~macros.loader.Toolkit` per content state, shared by the MkDocs hooks
and the mkdocs-macros functions of one build (and reloaded when ``mkdocs serve`` sees an edit).
"""
from __future__ import annotations

from pathlib import Path

from macros.loader import Toolkit, load_toolkit

_cache: dict[Path, tuple[tuple, Toolkit]] = {}


def _fingerprint(root: Path) -> tuple:
    files = sorted((root / "content").rglob("*"))
    return tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files if p.is_file())


def toolkit_for(root: Path | str) -> Toolkit:
    """The toolkit loaded from ``root/content``, re-read only when a content file changed.

    Raises:
        ContentError: the content does not validate (see :func:`macros.loader.load_toolkit`).
    """
    root = Path(root).resolve()
    key = _fingerprint(root)
    hit = _cache.get(root)
    if hit and hit[0] == key:
        return hit[1]
    toolkit = load_toolkit(root)
    _cache[root] = (key, toolkit)
    return toolkit

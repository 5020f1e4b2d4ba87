"""Site adapters: the build plan's pages, built by a site generator.

* :mod:`macros.adapters.source`  – writes an edition's pages as Markdown sources (front matter +
  an HTML body the generator's Markdown reads with real headings, :mod:`macros.adapters.markdown`),
  the toolkit's stylesheets and fonts, and the generator configuration (``mkdocs.yml``'s
  format, read by both generators);
* :mod:`macros.adapters.mkdocs`  – MkDocs + Material (the default);
* :mod:`macros.adapters.zensical` – Zensical (Material's successor; reads the same configuration).

Each adapter has one function, ``build(config_file, env)``, that turns a written source
folder into HTML. Nothing here renders content: pages come finished from the plan.
"""
from __future__ import annotations

#: The generators the build can use, by name (``python -m macros build --generator NAME``).
GENERATORS = ("mkdocs", "zensical")


def adapter(name: str):
    """The adapter module for generator ``name``. Raises ValueError for an unknown name."""
    if name == "mkdocs":
        from macros.adapters import mkdocs as module
    elif name == "zensical":
        from macros.adapters import zensical as module
    else:
        raise ValueError(f"unknown site generator {name!r}; use one of {', '.join(GENERATORS)}")
    return module

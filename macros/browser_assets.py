"""The scripts and stylesheet of the site's "answers kept on the device" forms, filled-in
PDF download, offline notice and language switch, for one language's site build.

The site adapter (:mod:`macros.adapters.source`) writes each file under ``assets/toolkit/``
and links :data:`CSS` and :data:`SCRIPTS` from every page, whichever generator builds it.
"""
from __future__ import annotations

import json
from pathlib import Path

from macros import i18n
from macros.render import ASSETS

ROOT = Path(__file__).resolve().parent.parent

#: The browser build of @cantoo/pdf-lib (npm, MIT, pinned in package.json), served from the
#: site and loaded by forms.js only when someone asks for a filled-in PDF.
PDF_LIB = ROOT / "node_modules" / "@cantoo" / "pdf-lib" / "dist" / "pdf-lib.min.js"

#: fontkit for pdf-lib (npm ``@cantoo/fontkit``, MIT, pinned in package.json; the fork's own,
#: whose subsetter its pdf-lib calls as it expects, unlike ``@pdf-lib/fontkit``): forms.js
#: loads it, with :func:`macros.answer_font.answer_font`, only when an answer has letters the
#: PDF's form font lacks. Neither is precached for offline use (:mod:`macros.offline`).
FONTKIT = ROOT / "node_modules" / "@cantoo" / "fontkit" / "dist" / "fontkit.umd.min.js"

#: Files published under ``assets/toolkit/`` that the offline service worker does not
#: precache: about 0.6 MB that only a filled-in PDF with such letters needs.
ON_DEMAND = ("fontkit.min.js", "answer-font.ttf")

#: Stylesheets and scripts every page links (paths under ``assets/toolkit/``).
CSS = ["forms.css"]
SCRIPTS = ["offline.js", "forms.js", "language.js"]


def offline_script(lang: str) -> str:
    """``macros/assets/offline.js`` with the notice's words in ``lang`` put in front
    (``var WORDS = {"ready": …, "update": …, "reload": …};``).

    Raises:
        KeyError: ``lang`` is not in :data:`macros.i18n.UI`.
    """
    ui = i18n.UI[lang]
    words = {"ready": ui["offline_ready"], "update": ui["offline_update"], "reload": ui["offline_reload"]}
    return f"var WORDS = {json.dumps(words, ensure_ascii=False)};\n" + (ASSETS / "offline.js").read_text(encoding="utf-8")


def files(lang: str) -> list[tuple[str, Path | str]]:
    """Every file to publish under ``assets/toolkit/`` for the ``lang`` site, as
    ``(name, source)``: a :class:`~pathlib.Path` to copy or the text itself.

    Raises:
        FileNotFoundError: the npm packages are not installed (``make setup``).
        RuntimeError: the font package ``fontpkg-noto-sans`` is not installed.
    """
    from macros.answer_font import answer_font

    for path, package in ((PDF_LIB, "@cantoo/pdf-lib"), (FONTKIT, "@cantoo/fontkit")):
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing: run `make setup` (npm package {package})")
    return [
        ("forms.css", ASSETS / "forms.css"),
        ("forms.js", ASSETS / "forms.js"),
        ("offline.js", offline_script(lang)),
        ("language.js", ASSETS / "language.js"),
        ("pdf-lib.min.js", PDF_LIB),
        ("fontkit.min.js", FONTKIT),
        ("answer-font.ttf", answer_font()),
    ]

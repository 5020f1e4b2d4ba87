"""The typeface for answers the PDF's own form font cannot print.

A print PDF's text fields use Atkinson Hyperlegible as a simple TrueType font with WinAnsi
encoding (:mod:`macros.pdf_post`): Western European letters only. A student whose name or
answer has other letters (Vietnamese *Nguyễn*, Polish *Łódź*, Turkish *İ*, Greek, Cyrillic)
gets those answers printed in this typeface instead when the page makes the filled-in PDF
(``macros/assets/forms.js``, which embeds the letters used with pdf-lib and fontkit).

The typeface is **Noto Sans** (Google, SIL Open Font Licence 1.1; PyPI package
``fontpkg-noto-sans``), which ships as one 2 MB variable font. The site serves a static
Regular instance of it holding the Latin, Greek and Cyrillic blocks only (about 190 KB),
made with fontTools (``varLib.instancer``, then ``subset``) the first time a site is built
on a machine and kept in the user's cache folder (``$XDG_CACHE_HOME/wbl-toolkit/fonts``,
by default ``~/.cache/…``; ``.cache/fonts`` beside the code if that cannot be written), so
every checkout and test project on the machine shares it (about 4 s of CPU, once).
"""
from __future__ import annotations

import hashlib
import io
import os
from importlib import metadata
from pathlib import Path

from macros.atomic import write_atomically

ROOT = Path(__file__).resolve().parent.parent


def cache_dirs() -> list[Path]:
    """Folders to keep the made font in, in the order tried (see the module's docstring)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return [Path(base) / "wbl-toolkit" / "fonts", ROOT / ".cache" / "fonts"]


#: Code points kept, as inclusive ``(first, last)`` ranges: Basic Latin, Latin-1, Latin
#: Extended-A/B, IPA extensions (ə ɛ ɔ ɓ ɗ of Azerbaijani and West African languages),
#: spacing modifier letters (the ʻokina, the Ukrainian apostrophe ʼ), combining marks, Greek
#: and Coptic, Cyrillic (and its supplement), Latin Extended Additional (Vietnamese), Greek
#: Extended, general punctuation, super- and subscripts, currency signs, letterlike symbols,
#: number forms, arrows, mathematical operators (− ≤ ≥), Latin Extended-C/D/E, the Latin
#: ligatures (ﬁ ﬂ) (Unicode 15 block list). The font keeps those of them it has.
RANGES = ((0x20, 0x7E), (0xA0, 0x36F), (0x370, 0x3FF), (0x400, 0x52F), (0x1E00, 0x1FFF),
          (0x2000, 0x22FF), (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xAB30, 0xAB6F), (0xFB00, 0xFB06))


#: The variable font's axes at the instance made: Regular weight, normal width.
INSTANCE = (("wght", 400), ("wdth", 100))


def _source() -> Path:
    """The variable Noto Sans TTF of the installed ``fontpkg-noto-sans``.

    Raises:
        RuntimeError: the package is not installed (run the README's set-up).
    """
    try:
        import fontpkg_noto_sans as pkg
    except ImportError as exc:  # pragma: no cover - set-up problem
        raise RuntimeError("the PyPI package fontpkg-noto-sans is not installed; run `make setup`") from exc
    files = sorted((Path(pkg.__file__).parent / "files").glob("NotoSans[[]*.ttf"))
    if not files:  # pragma: no cover - set-up problem
        raise RuntimeError("fontpkg-noto-sans has no upright Noto Sans file; reinstall it with `make setup`")
    return files[0]


def answer_font() -> Path:
    """Path of the static Noto Sans Regular subset (TrueType) to publish, made and cached on
    first use. Its file name carries the versions of the font package and of fontTools and a
    hash of how it is made (:data:`RANGES`, :data:`INSTANCE`), so a change to either makes it
    again. Written atomically (:func:`macros.atomic.write_atomically`), so builds running side
    by side never read half a font.

    Raises:
        RuntimeError: ``fontpkg-noto-sans`` is not installed.
        OSError: no cache folder can be written.
    """
    recipe = hashlib.sha256(repr((RANGES, INSTANCE, "no layout tables")).encode()).hexdigest()[:8]
    name = f"noto-sans-answers-{metadata.version('fontpkg-noto-sans')}-{metadata.version('fonttools')}-{recipe}.ttf"
    for folder in cache_dirs():
        if (folder / name).is_file():
            return folder / name
    made = io.BytesIO()
    _make(_source()).save(made)
    for folder in cache_dirs():
        try:
            write_atomically(folder / name, made.getvalue())
        except OSError:
            continue
        return folder / name
    raise OSError(f"no cache folder can be written: {', '.join(map(str, cache_dirs()))}")


def _make(source: Path) -> "fontTools.ttLib.TTFont":
    """The static, subset font made from the variable ``source`` (see the module's docstring)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(source)
    options = subset.Options()
    # no OpenType layout tables (half the file): pdf-lib lays a field's text out glyph by
    # glyph, from the character map and the advance widths
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for first, last in RANGES for c in range(first, last + 1)])
    subsetter.subset(font)   # first: fewer glyphs to instantiate
    return instancer.instantiateVariableFont(font, dict(INSTANCE), updateFontNames=True)

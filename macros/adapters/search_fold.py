"""Search without accents in Material for MkDocs' search: a reader who types *pasantia*,
*informacion* or *resume* finds the pages that say *pasantía*, *información* or *résumé*
(on a phone or an English keyboard, accents are often left out).

Material's search (lunr.js in a web worker) matches words letter for letter, and its
language pipeline for Spanish does not fold accents (measured on the built Spanish site:
*pasantía* found 20 pages, *pasantia* none). Its index file, ``search/search_index.json``,
names the fields to index in ``config.fields`` (Material's ``search`` plugin; the worker
indexes every field named there and shows only ``title`` and ``text``). So after the build
each entry gets two more fields holding its words **without accents**, each word once and
only the words an accent changes: ``title_folded`` (weighted as the title) and
``text_folded`` (as the text). A query with accents still matches the words as written; one
without matches these. Nothing shown changes, and the index grows by the changed words only.
"""
from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

#: Material's index file, at each language site's root.
INDEX = Path("search") / "search_index.json"

#: The fields added, after the field whose weight each takes.
FOLDED = {"title": "title_folded", "text": "text_folded"}

_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]*>")


def fold(text: str) -> str:
    """``text`` lower-cased without its accents and other combining marks (Unicode NFD,
    marks dropped): ``"Pasantía Ñandú"`` -> ``"pasantia nandu"``."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def folded_words(text: str) -> str:
    """The words of ``text`` (HTML tags left out) that an accent changes, folded
    (:func:`fold`), each once, space-separated, in order of first appearance; ``""`` if none."""
    pairs = ((word.lower(), fold(word)) for word in _WORD.findall(_TAG.sub(" ", text)))
    return " ".join(dict.fromkeys(folded for lower, folded in pairs if folded != lower))


def fold_index(site_dir: Path) -> bool:
    """Add the folded fields to the Material search index of the language site in
    ``site_dir``, in place. Returns False when the site has no index (search off); an index
    already folded is left as it is.

    Raises:
        ValueError: the index is not Material's format (no ``config.fields`` or ``docs``).
    """
    path = site_dir / INDEX
    if not path.is_file():
        return False
    index = json.loads(path.read_text(encoding="utf-8"))
    fields = index.get("config", {}).get("fields")
    if not isinstance(fields, dict) or not isinstance(index.get("docs"), list):
        raise ValueError(f"{path}: not a Material for MkDocs search index (no config.fields or docs)")
    if all(name in fields for name in FOLDED.values()):
        return True
    for source, name in FOLDED.items():
        fields[name] = dict(fields.get(source, {"boost": 1.0}))
    for doc in index["docs"]:
        for source, name in FOLDED.items():
            words = folded_words(str(doc.get(source) or ""))
            if words:
                doc[name] = words
    path.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True

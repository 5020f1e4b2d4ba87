"""Accent-free words in Material's search index (macros/adapters/search_fold.py); the search
itself is tried in a browser in tests/test_forms_offline.py."""
from __future__ import annotations

import json

import pytest

from macros.adapters.search_fold import INDEX, fold, fold_index


def _site(tmp_path, docs, fields=None):
    (tmp_path / INDEX).parent.mkdir(parents=True)
    config = {"lang": ["es"], "fields": fields if fields is not None else {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}}
    (tmp_path / INDEX).write_text(json.dumps({"config": config, "docs": docs}), encoding="utf-8")
    return tmp_path


def test_each_entry_gets_its_changed_words_once_without_accents_and_keeps_what_is_shown(tmp_path):
    shown = [{"location": "a/", "title": "Pasantía", "text": "<p>La <em>información</em> y la información; el año.</p>"},
             {"location": "b/", "title": "Plain", "text": "<p>nothing to fold</p>"}]
    site = _site(tmp_path, [dict(d) for d in shown])
    assert fold_index(site)
    index = json.loads((site / INDEX).read_text(encoding="utf-8"))
    assert index["config"]["fields"]["title_folded"] == {"boost": 1000.0}
    assert index["config"]["fields"]["text_folded"] == {"boost": 1.0}
    first, second = index["docs"]
    assert {k: first[k] for k in shown[0]} == shown[0] and second == shown[1]
    assert first["title_folded"] == "pasantia"
    assert first["text_folded"] == "informacion ano"
    before = (site / INDEX).read_bytes()
    assert fold_index(site) and (site / INDEX).read_bytes() == before   # a second run changes nothing


def test_a_site_without_a_search_index_is_left_alone_and_another_format_is_refused(tmp_path):
    assert not fold_index(tmp_path)
    with pytest.raises(ValueError, match="not a Material for MkDocs search index"):
        fold_index(_site(tmp_path, [], fields="title"))


def test_fold_drops_marks_and_case():
    assert fold("Ñandú RÉSUMÉ") == "nandu resume"

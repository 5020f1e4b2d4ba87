"""The content reader gives the same data, positions and messages whether PyYAML parses with
libyaml (the fast path) or in pure Python (its fallback, whose messages editors see)."""
from __future__ import annotations

from pathlib import Path

import pytest

from macros.reader import yaml_reader

ROOT = Path(__file__).resolve().parent.parent

SAMPLES = [
    "título: {ñá: “x”, b: [é, ü, 3]}\nb: c\n",
    "a: |\n  ñ line\n  two\nb: ~\nc:\nd: null\ne: ''\nf: \"~\"\n",
    "title: ñandú y más # a comment that cuts the text\nnext: x\n",
    "t: 😀 emoji text # cut\n",
    "- a: ñ ñ # x\n",
    "a: 1\na: 2\n",
    "a: &x [1, 2]\nb: *x\n",
    "a: &x [1, 2]\nb: 3\n",
    "a:\n\t- b\n",
    'a: "unclosed\n',
    "a: !foo bar\n",
    "",
    "# only a comment\n",
    "a: b: c\n",
    "? [a]\n: 1\n",
    "a: 1\n---\nb: 2\n",
    "on: no\nyes: 1.10\ndate: 2026-01-02\n",
]


def _read(raw: bytes):
    doc, problems = yaml_reader._parse(Path("x.yml"), "x.yml", raw)
    return (doc.data, doc.values, doc.keys) if doc else None, [str(p) for p in problems]


@pytest.mark.skipif(yaml_reader._FastLoader is None, reason="PyYAML has no libyaml here")
@pytest.mark.parametrize("raw", [s.encode() for s in SAMPLES]
                         + [p.read_bytes() for p in sorted((ROOT / "tests" / "fixtures").rglob("*.yml"))[:40]],
                         ids=lambda raw: raw[:24].decode(errors="replace"))
def test_fast_and_pure_python_reading_agree(raw, monkeypatch):
    fast = _read(raw)
    monkeypatch.setattr(yaml_reader, "_FastLoader", None)
    assert fast == _read(raw)

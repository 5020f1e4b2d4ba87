"""Files written whole or not at all (macros/atomic.py)."""
from __future__ import annotations

import stat

import pytest

from macros.atomic import write_atomically


def test_a_new_file_is_readable_by_all_and_a_replaced_one_keeps_its_permissions(tmp_path):
    new = tmp_path / "sub" / "new.txt"
    write_atomically(new, "año\n")
    assert new.read_bytes() == "año\n".encode() and stat.S_IMODE(new.stat().st_mode) == 0o644
    old = tmp_path / "content.yml"
    old.write_text("before", encoding="utf-8")
    old.chmod(0o664)
    write_atomically(old, b"after")
    assert old.read_text(encoding="utf-8") == "after" and stat.S_IMODE(old.stat().st_mode) == 0o664
    assert sorted(p.name for p in tmp_path.iterdir()) == ["content.yml", "sub"]   # no temporary file left


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    old = tmp_path / "content.yml"
    old.write_text("before", encoding="utf-8")
    with pytest.raises(TypeError):
        write_atomically(old, 42)   # not text or bytes
    assert old.read_text(encoding="utf-8") == "before"
    assert [p.name for p in tmp_path.iterdir()] == ["content.yml"]

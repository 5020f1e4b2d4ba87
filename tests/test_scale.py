"""Sharding the PDF stage across CI runners: N shards together give exactly the full build
(of the fixture project)."""
from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from helpers import build_pdfs_module


def _pdfs(folder, language_root=True):
    """PDFs under ``folder`` (site path -> bytes); the English edition only (not ``es/``)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*.pdf")
            if not p.relative_to(folder).as_posix().startswith("es/")}


@pytest.mark.parametrize("n", [2, 3])
def test_union_of_shards_equals_full_build(fixture_site, project, n):
    shutil.copytree(fixture_site / ".cache", project / ".cache")  # the assignment is under test, not rendering
    merged: dict[str, bytes] = {}
    for k in range(1, n + 1):
        out = project / f"shard-{k}"
        proc = subprocess.run([sys.executable, "build_pdfs.py", "--shard", f"{k}/{n}", "--site-dir", str(out), "-q"],
                              cwd=project, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        part = _pdfs(out)
        assert not set(part) & set(merged), "a PDF was rendered by two shards"
        merged.update(part)
    assert merged == _pdfs(fixture_site / "site")


def test_shard_assignment_is_stable_and_spread():
    names = [f"resource-{i}" for i in range(200)]
    build_pdfs = build_pdfs_module()
    counts = [sum(build_pdfs.shard_of(x, 4) == k for x in names) for k in (1, 2, 3, 4)]
    assert sum(counts) == 200 and min(counts) >= 30
    assert build_pdfs.shard_of("some-resource", 3) == build_pdfs.shard_of("some-resource", 3)


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x/2", "3"])
def test_bad_shard_is_a_usage_error(bad):
    proc = subprocess.run([sys.executable, str(ROOT / "build_pdfs.py"), "--shard", bad, "--site-dir", "/nonexistent"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "shard" in proc.stderr or "invalid" in proc.stderr

"""The extractor's tables cached on disk: read back equal, rebuilt when unusable, never trusted
when another user could have written them, and extraction the same cold, warm or uncached."""

from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from graph.extract import table_cache
from graph.extract.table_cache import cached, digest_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples" / "releases"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    chosen = tmp_path / "cache"
    monkeypatch.setenv("SECKG_CACHE_DIR", str(chosen))
    return chosen


class Builder:
    def __init__(self, value: object) -> None:
        self.value = value
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def _files(folder: Path, name: str = "table") -> list[Path]:
    return sorted(folder.glob(f"{name}-*.pickle"))


def test_built_once_then_read_back(folder: Path) -> None:
    build = Builder({"lima": (("PER", 8_000_000),), "sets": frozenset({"a", "b"})})
    first = cached("table", build)
    second = cached("table", build)
    assert build.calls == 1
    assert first == second == build.value
    (written,) = _files(folder)
    assert written.stat().st_mode & 0o777 == 0o600
    assert folder.stat().st_mode & 0o077 == 0
    assert not list(folder.glob(".*.tmp"))


def test_a_cut_short_file_is_built_again_and_rewritten(folder: Path) -> None:
    build = Builder([1, 2, 3])
    cached("table", build)
    (written,) = _files(folder)
    written.write_bytes(written.read_bytes()[:5])
    assert cached("table", build) == [1, 2, 3]
    assert build.calls == 2
    assert pickle.loads(written.read_bytes()) == [1, 2, 3]


def test_a_file_others_could_write_is_never_read(folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    cached("table", Builder("honest"))
    (written,) = _files(folder)
    written.write_bytes(pickle.dumps("planted"))
    written.chmod(0o666)
    with caplog.at_level(logging.WARNING, logger="graph.extract.table_cache"):
        assert cached("table", Builder("honest")) == "honest"
    assert "another user could have written" in caplog.text
    written.chmod(0o600)
    folder.chmod(0o777)
    assert cached("table", Builder("honest")) == "honest"


def test_an_empty_setting_turns_the_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECKG_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    build = Builder(7)
    assert cached("table", build) == cached("table", build) == 7
    assert build.calls == 2
    assert not list(tmp_path.rglob("*.pickle"))


def test_an_unwritable_folder_leaves_the_process_to_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("SECKG_CACHE_DIR", str(blocker / "cache"))
    build = Builder(7)
    assert cached("table", build) == cached("table", build) == 7
    assert build.calls == 2


def test_only_the_newest_files_of_a_table_are_kept(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for n in range(7):
        monkeypatch.setattr(table_cache, "fingerprint", lambda n=n: f"print{n}")
        cached("table", Builder(n))
        os.utime(folder / f"table-print{n}.pickle", (1_000_000 + n, 1_000_000 + n))
    cached("other", Builder("kept"))
    assert [p.name for p in _files(folder)] == [f"table-print{n}.pickle" for n in range(3, 7)]
    assert len(_files(folder, "other")) == 1


def test_the_fingerprint_follows_every_file_and_its_name(tmp_path: Path) -> None:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "cues.tsv").write_text("a\tb\n")
    (tmp_path / "top.ttl").write_text("x")
    base = digest_of({"data": tmp_path})
    assert digest_of({"data": tmp_path}) == base
    (tmp_path / "rules" / "cues.tsv").write_text("a\tc\n")
    changed = digest_of({"data": tmp_path})
    assert changed != base
    (tmp_path / "rules" / "cues.tsv").rename(tmp_path / "rules" / "cues2.tsv")
    assert digest_of({"data": tmp_path}) not in {base, changed}
    (tmp_path / "__pycache__").mkdir()
    renamed = digest_of({"data": tmp_path})
    (tmp_path / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert digest_of({"data": tmp_path}) == renamed


def _extract(folder: str, out: Path) -> bytes:
    env = {**os.environ, "SECKG_CACHE_DIR": folder}
    command = [sys.executable, "-m", "graph", "extract", str(SAMPLES), "--no-progress"]
    command += ["--jobs", "1", "--out", str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    return out.read_bytes()


def test_extraction_is_the_same_cold_warm_and_uncached(tmp_path: Path) -> None:
    """The tables read back from the cache extract exactly what freshly built ones do."""
    cache = tmp_path / "cache"
    cold = _extract(str(cache), tmp_path / "cold.jsonl")
    names = sorted(p.name.split("-")[0] for p in cache.glob("*.pickle"))
    assert names == ["cities", "lexicon"]
    stamps = {p: p.stat().st_mtime_ns for p in cache.glob("*.pickle")}
    warm = _extract(str(cache), tmp_path / "warm.jsonl")
    assert {p: p.stat().st_mtime_ns for p in cache.glob("*.pickle")} == stamps  # read, not rewritten
    uncached = _extract("", tmp_path / "none.jsonl")
    assert cold == warm == uncached
    assert cold.count(b"\n") == len(list(SAMPLES.iterdir()))

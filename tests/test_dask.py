"""The Dask engine: ``seckg extract`` and ``seckg ingest`` with ``--engine dask`` give what the local
engine gives, record for record, in the same order, on a two-worker local cluster."""

from __future__ import annotations

import builtins
import json
import sys

import pytest

from graph import distributed
from graph.distributed import EngineError, open_client, ordered_map
from graph.store import export, open_store
from tests.conftest import CORPUS, SAMPLES
from tests.graph_support import oxigraph_server, run_cli

RELEASES = str(SAMPLES / "releases")
TIMESTAMP = "<http://www.w3.org/ns/prov#generatedAtTime>"


@pytest.fixture(scope="module")
def scheduler():
    """The address of a local cluster of two worker processes (one thread each)."""
    with open_client(workers=2, processes=True) as client:
        assert sum(client.nthreads().values()) == 2
        yield client.scheduler.address


def _inputs() -> list[str]:
    corpus = CORPUS / "releases"
    return [RELEASES, str(corpus)] if corpus.is_dir() else [RELEASES]


def _extract(tmp_path, name: str, *args) -> list[dict]:
    out = tmp_path / f"{name}.jsonl"
    result = run_cli("extract", *args, "--out", out)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_extract_on_a_cluster_gives_the_serial_records_in_order(tmp_path, scheduler):
    serial = _extract(tmp_path, "serial", *_inputs(), "--jobs", "1")
    on_cluster = _extract(tmp_path, "dask", *_inputs(), "--engine", "dask", "--scheduler", scheduler)
    assert len(serial) >= len(list((SAMPLES / "releases").iterdir()))
    assert [r["id"] for r in on_cluster] == [r["id"] for r in serial]
    for mine, expected in zip(on_cluster, serial, strict=True):
        assert mine == expected, mine["id"]


def test_extract_without_scheduler_starts_a_local_cluster(tmp_path):
    serial = _extract(tmp_path, "serial", RELEASES, "--jobs", "1")
    local_cluster = _extract(tmp_path, "dask", RELEASES, "--engine", "dask", "--jobs", "2")
    assert local_cluster == serial
    assert serial[0]["id"] == "01-us-panama-letter-of-intent"


def test_bad_inputs_are_one_line_each_and_the_batch_goes_on(tmp_path, scheduler):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a-binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (tmp_path / "in" / "b-empty.txt").write_bytes(b"")
    good = SAMPLES / "releases" / "08-us-mexico-mutual-recognition-arrangement.txt"
    args = ["extract", tmp_path / "in", good, tmp_path / "missing.txt", "--engine", "dask"]
    result = run_cli(*args, "--scheduler", scheduler)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 3, result.stderr
    assert "a-binary.txt" in errors[0] and "binary" in errors[0]
    assert "b-empty.txt" in errors[1] and "empty" in errors[1]
    assert "missing.txt" in errors[2] and "not found" in errors[2]
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["id"] == good.stem and record["agreements"][0]["type"] == "arrangement"


def _release_quads(location) -> list[str]:
    """The sorted N-Quads of the store, its time stamps left out (each run writes its own)."""
    store = open_store(location, create=False)
    lines = export(store, "nquads").decode("utf-8").splitlines()
    del store
    return sorted(line for line in lines if TIMESTAMP not in line)


def test_ingest_on_a_cluster_gives_the_same_store(tmp_path, scheduler):
    local, on_cluster = tmp_path / "local", tmp_path / "dask"
    result = run_cli("ingest", *_inputs(), "--store", local, "--jobs", "1")
    assert result.exit_code == 0, result.output
    dask = ["--engine", "dask", "--scheduler", scheduler]
    result = run_cli("ingest", *_inputs(), "--store", on_cluster, *dask)
    assert result.exit_code == 0, result.output
    expected = _release_quads(local)
    assert any("/graph/release/01-us-panama-letter-of-intent>" in line for line in expected)
    assert any("/graph/resolution>" in line for line in expected)
    assert _release_quads(on_cluster) == expected


@pytest.mark.server
def test_ingest_on_a_cluster_into_a_sparql_server_in_chunks(tmp_path, scheduler):
    result = run_cli("ingest", RELEASES, "--store", tmp_path / "local", "--jobs", "1")
    assert result.exit_code == 0, result.output
    expected = _release_quads(tmp_path / "local")
    with oxigraph_server(tmp_path / "oxigraph") as url:
        args = ["ingest", RELEASES, "--store", url, "--chunk", "300", "--engine", "dask"]
        result = run_cli(*args, "--scheduler", scheduler)
        assert result.exit_code == 0, result.output
        assert "18 added" in result.stdout
        store = open_store(url)
        lines = export(store, "nquads").decode("utf-8").splitlines()
        store.close()
    assert sorted(line for line in lines if TIMESTAMP not in line) == expected


def test_missing_dask_is_one_line_naming_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)  # importing it now fails
    result = run_cli("extract", RELEASES, "--engine", "dask")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith("error: ") and "install seckg[dask]" in result.stderr
    assert result.stdout == ""


def test_scheduler_needs_the_dask_engine():
    result = run_cli("ingest", RELEASES, "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: --scheduler needs --engine dask"


def test_an_unreachable_scheduler_is_one_line(monkeypatch, tmp_path):
    monkeypatch.setattr(distributed, "CONNECT_TIMEOUT", 0.5)
    result = run_cli("extract", RELEASES, "--engine", "dask", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
    assert result.stdout == ""


def _fails_on_three(n: int) -> int:
    if n == 3:
        raise ValueError("three")
    return n * 10


def test_ordered_map_reports_a_failed_task_per_input_and_goes_on():
    with open_client(workers=2, processes=False) as client:
        failed = lambda item, err: f"{item}: {type(err).__name__}: {err}"  # noqa: E731
        got = list(ordered_map(client, _fails_on_three, range(7), chunk=2, on_failure=failed))
        assert got == [0, 10, "2: ValueError: three", "3: ValueError: three", 40, 50, 60]
        with pytest.raises(ValueError, match="three"):
            list(ordered_map(client, _fails_on_three, range(7)))


def test_ordered_map_holds_at_most_a_window_of_inputs():
    pulled = 0

    def inputs():
        nonlocal pulled
        for n in range(200):
            pulled += 1
            yield n

    with open_client(workers=2, processes=False) as client:
        results = ordered_map(client, builtins.abs, inputs(), chunk=3, window=12)
        for consumed, value in enumerate(results, 1):
            assert value == consumed - 1
            assert pulled - consumed <= 12 + 2  # a window, and the rest of the chunk being yielded
    assert consumed == pulled == 200


def test_losing_the_cluster_is_an_engine_error():
    with open_client(workers=1, processes=False) as client:
        results = ordered_map(client, builtins.abs, range(50), window=4)
        assert next(results) == 0
        client.close()
        with pytest.raises(EngineError, match="lost the Dask cluster"):
            list(results)

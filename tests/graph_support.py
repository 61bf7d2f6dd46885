"""Shared helpers of the knowledge-graph tests: fixture records, the sample graph, an Oxigraph server.

``sample_items()`` is the one place that decides how the sample graph is built; every test that
needs it goes through :func:`build_sample_store`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from graph.extract import extract
from graph.ingest import read_path, read_paths
from graph.loading import load_records
from graph.model import Record, Release
from graph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "graph"
SAMPLES = ROOT / "data" / "samples"
SHARED = Path(__file__).resolve().parents[2] / "shared"
FIXED_TIME = "2024-01-01T00:00:00Z"


def fixture_records() -> list[Record]:
    """The hand-written records of ``tests/data/graph/records.jsonl`` (with evidence)."""
    lines = (DATA / "records.jsonl").read_text(encoding="utf-8").splitlines()
    return [Record.from_dict(json.loads(line)) for line in lines if line.strip()]


def fixture_release(release_id: str) -> Release:
    """The release text a fixture record was written from."""
    return read_path(DATA / "releases" / f"{release_id}.txt")[0]


def fixture_items() -> list[tuple[Record, Release]]:
    """Fixture records paired with their releases."""
    return [(record, fixture_release(record.id)) for record in fixture_records()]


def sample_items() -> list[tuple[Record, Release | None]]:
    """Records (with releases) of the sample graph: what ``extract`` makes of ``data/samples``."""
    return [(extract(r), r) for r in read_paths([SAMPLES / "releases"])]


def run_cli(*args, env: dict[str, str] | None = None):
    """Run ``seckg ARGS...`` through Typer's runner and let go of the store before returning.

    A failing command's traceback would keep the store (and its lock) alive, so it is dropped,
    and a collection runs before the next command opens the store.
    """
    import gc

    from typer.testing import CliRunner

    from graph.cli import app

    result = CliRunner().invoke(app, [str(a) for a in args], env=env)
    if result.exception is not None:
        result.exception.__traceback__ = None
        result.exc_info = None
    gc.collect()
    return result


def instrument_of(store) -> dict[tuple[str, int], str]:
    """``{(release id, position): instrument IRI}`` as the store's resolution graph states it."""
    from graph.store import execute

    query = (
        "SELECT ?id ?pos ?a WHERE { GRAPH <https://w3id.org/seckg/graph/resolution> { ?r seckg:reportOf ?a } "
        "GRAPH ?g { ?r seckg:position ?pos ; seckg:reportedBy ?rel . ?rel dcterms:identifier ?id } }"
    )
    return {(row["id"].value, int(row["pos"].value)): row["a"].value for row in execute(store, query)}


def build_store(items, location: str | os.PathLike[str] = ":memory:"):
    """A store holding ``items`` (records or (record, release) pairs) at a fixed time stamp."""
    store = open_store(location)
    load_records(store, items, generated_at=FIXED_TIME)
    return store


def build_sample_store(location: str | os.PathLike[str] = ":memory:"):
    """The sample graph (see :func:`sample_items`)."""
    return build_store(sample_items(), location)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> str | None:
    """Path of the ``oxigraph`` server binary (PyPI package ``oxigraph``), if installed."""
    local = ROOT / ".venv" / "bin" / "oxigraph"
    return str(local) if local.exists() else shutil.which("oxigraph")


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Run ``oxigraph serve`` on 127.0.0.1 with data in ``location``; yield its base URL."""
    binary = oxigraph_binary()
    assert binary, "oxigraph server binary not installed"
    port = free_port()
    proc = subprocess.Popen(
        [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=1)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("oxigraph server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def run_to_the_end(child: subprocess.Popen) -> None:
    """Let a loading child of the kill tests finish; it must say ``done``."""
    out, _ = child.communicate(timeout=240)
    assert child.returncode == 0 and out.endswith("done\n")


def kill_during_a_write(
    child: subprocess.Popen, rng: random.Random, pieces: bool, batches: int, pause: float
) -> bool:
    """SIGKILL a loading child (of the kill tests) while it writes its n-th batch, n drawn in
    ``1..batches``: up to ``pause`` seconds after it announces the batch, or, with ``pieces``, once
    the first piece of the batch is in (the child waits for a line on stdin before each further
    piece). Return whether it was killed (a load that finished first was not)."""
    target, writes = rng.randint(1, batches), 0
    for line in child.stdout:
        writes += line.startswith("writing")
        if writes == target and (not pieces or line.startswith("piece")):
            break
        if line.startswith("piece"):  # an earlier batch: let it go on
            child.stdin.write("\n")
            child.stdin.flush()
    else:
        child.wait(timeout=60)
        return False
    if not pieces:
        time.sleep(rng.uniform(0, pause))
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    child.stdin.close()
    child.stdout.close()
    return child.returncode == -signal.SIGKILL

"""Readers do not block each other: while ``seckg serve`` runs on a store, ``query``, ``stats``,
``render``, ``export``, ``validate``, ``links`` and a notebook cell read the same store; a writer is
refused with a message naming the server's real URL; ``/viewer`` shows the store it serves."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from graph.store_lock import endpoint_of
from tests.graph_support import SAMPLES, run_cli

run = run_cli


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    store = str(tmp_path_factory.mktemp("served") / "store")
    assert run("ingest", str(SAMPLES / "releases"), "--store", store, "--no-progress").exit_code == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", store, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    banner = process.stdout.readline()
    assert "SPARQL endpoint http://" in banner, banner + process.stderr.read()
    url = banner.split()[2].rsplit("/", 1)[0]
    yield store, url
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_readers_run_beside_a_serving_store(served, tmp_path):
    store, url = served
    assert endpoint_of(store) == url  # the server says where it is
    assert run("query", "--name", "releases", "--store", store).exit_code == 0
    stats = run("stats", "--store", store)
    assert stats.exit_code == 0 and "14 instruments" in stats.output, stats.output
    assert run("render", "--store", store, "--out", str(tmp_path / "v.html")).exit_code == 0
    assert (
        run("export", "--format", "nquads", "--out", str(tmp_path / "g.nq"), "--store", store).exit_code == 0
    )
    assert run("validate", "--store", store).exit_code == 0
    assert run("links", "--store", store).exit_code == 0
    # a notebook cell: the library's read-only open under the shared lock
    from graph.analysis.projections import agreements, typed_graph
    from graph.store import open_store
    from graph.store_lock import access

    with access(store, write=False):
        handle = open_store(store, read_only=True)
        assert len(agreements(typed_graph(handle))) == 14
        del handle
    answer = httpx.get(url + "/query", params={"query": "ASK { ?s ?p ?o }"}, timeout=30)
    assert answer.status_code == 200


def test_a_writer_is_told_where_the_server_is(served):
    store, url = served
    result = run("ingest", str(SAMPLES / "releases"), "--store", store, "--no-progress")
    assert result.exit_code == 1
    assert url in result.output and "--writable" in result.output


def test_the_viewer_shows_the_store_it_serves(served):
    _, url = served
    page = httpx.get(url + "/viewer", timeout=60)
    assert page.status_code == 200
    assert "14 instruments" in page.text and "Content-Security-Policy" in page.text


def test_the_server_removes_its_address_when_it_stops(tmp_path):
    store = str(tmp_path / "store")
    assert run("ingest", str(SAMPLES / "releases" / "01-us-panama-letter-of-intent.txt"), "--store", store,
               "--no-progress").exit_code == 0  # fmt: skip
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", store, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert "SPARQL endpoint" in process.stdout.readline()
    deadline = time.monotonic() + 10
    while endpoint_of(store) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert endpoint_of(store) is not None
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    assert endpoint_of(store) is None and not Path(store + ".endpoint").exists()
    assert run("ingest", str(SAMPLES / "releases"), "--store", store, "--no-progress").exit_code == 0


def test_browser_cli_and_notebook_kernel_at_once(served, browser, tmp_path):
    """The issue's check: with ``seckg serve`` running, ``seckg query``, ``stats`` and ``render``
    (separate processes), a notebook cell (in a Jupyter kernel) and a browser on the served viewer
    all run at the same time against the same store, and all succeed."""
    pytest.importorskip("nbclient")
    import nbformat
    from nbclient import NotebookClient

    store, url = served
    commands = {
        "query": ["query", "--name", "releases", "--store", store, "--format", "csv"],
        "stats": ["stats", "--store", store],
        "render": ["render", "--store", store, "--out", str(tmp_path / "viewer.html")],
    }
    cell = (
        "from graph.analysis.projections import agreements, typed_graph\n"
        "from graph.store import open_store\n"
        "from graph.store_lock import access\n"
        f"with access({store!r}, write=False):\n"
        f"    store = open_store({store!r}, read_only=True)\n"
        "    print('instruments', len(agreements(typed_graph(store))))\n"
    )
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(cell)])
    kernel = threading.Thread(target=NotebookClient(notebook, timeout=240, kernel_name="python3").execute)
    page = browser.new_page()
    processes = {
        name: subprocess.Popen([sys.executable, "-m", "graph", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
        for name, args in commands.items()
    }  # fmt: skip
    kernel.start()
    page.goto(url + "/viewer", timeout=60_000)
    page.wait_for_function("document.body.innerText.includes('14 instruments')", timeout=60_000)
    answer = page.request.get(
        url + "/query",
        params={"query": "ASK { ?s a <https://w3id.org/seckg/ontology#Agreement> }"},
        headers={"Accept": "application/sparql-results+json"},
    )
    asked = answer.json()["boolean"]
    outputs = {name: process.communicate(timeout=240) for name, process in processes.items()}
    kernel.join(timeout=240)
    page.close()
    assert asked is True
    for name, process in processes.items():
        assert process.returncode == 0, f"{name}: {outputs[name][1]}"
    assert "release" in outputs["query"][0].splitlines()[0] and "14 instruments" in outputs["stats"][0]
    assert (tmp_path / "viewer.html").stat().st_size > 10_000
    printed = "".join(output.get("text", "") for output in notebook.cells[0].get("outputs", []))
    assert "instruments 14" in printed, notebook.cells[0].get("outputs")

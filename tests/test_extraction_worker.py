"""The extraction workers: what their fork server preloads, what they reply, how the pool waits.

This module imports nothing of :mod:`graph.cli` at its top: a worker imports it to run
:func:`_worker_state`, and must not find the command line loaded because of the test.
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import multiprocessing
import pickle
import select
import subprocess
import sys

import pytest

from graph.extract.cities import city_states
from graph.extraction_worker import ExtractWorker, Origin, _context, extract_item
from tests.conftest import SAMPLES

RELEASES = sorted((SAMPLES / "releases").glob("*.txt"))
COMMAND_LINE = ("graph.cli", "typer", "rich")


def _worker_state() -> tuple[int, int, list[str]]:
    """Run in a worker: entries in the city table's cache, objects the collector skips, and the
    modules of the command line that are loaded."""
    return (
        city_states.cache_info().currsize,
        gc.get_freeze_count(),
        [name for name in COMMAND_LINE if name in sys.modules],
    )


def test_a_worker_starts_with_the_city_table_and_without_the_command_line():
    """The fork server has built the city table and frozen its heap before it forks a worker,
    and has not imported Typer, Rich or the commands."""
    context = _context()
    assert context.get_start_method() == "forkserver"
    with context.Pool(1) as pool:
        cached, frozen, command_line = pool.apply(_worker_state)
    assert cached == 1
    assert frozen > 10_000  # the lexicon and the tables
    assert command_line == []


def test_a_json_reply_goes_through_the_pipe_unchanged():
    """A reply with ``as_json``: bytes of each JSON line and the release's origin, the same after
    the pipe, and the same from a worker as here."""
    pairs, errors = extract_item(RELEASES[0], as_json=True)
    ((line, origin),) = pairs
    ((_, release),), _ = extract_item(RELEASES[0])
    assert isinstance(line, bytes) and not line.endswith(b"\n") and errors == []
    assert origin == Origin(json.loads(line)["id"], str(RELEASES[0]), release.url) and release.url
    reply = ("ok", 7, pairs, errors, 0.25)
    parent, child = multiprocessing.Pipe()
    with parent, child:
        child.send(reply)
        assert parent.recv() == reply
    assert len(pickle.dumps(reply)) < len(line) + sum(map(len, origin)) + 200  # no text, no objects
    with ExtractWorker(as_json=True) as worker:
        assert worker.run(RELEASES[0]) == (pairs, errors)


def test_a_stopped_worker_answers_as_a_dead_one_and_starts_again_on_submit():
    """``receive`` on a worker that is stopped raises ``EOFError``, as from a worker that died
    (what the pool catches), not an ``AttributeError`` on its missing pipe; a submit starts it."""
    with ExtractWorker(as_json=True) as worker:
        with pytest.raises(EOFError):
            worker.receive()
        assert worker.connection is None and worker.exit_code() is None
        worker.submit([(0, str(RELEASES[0]))])
        status, index, pairs, errors, _ = worker.receive()
        assert (status, index, len(pairs), errors) == ("ok", 0, 1, [])
        worker.stop()
        assert worker.connection is None
        with pytest.raises(EOFError):
            worker.receive()


def test_the_pool_answers_in_order_with_poll_and_without(monkeypatch):
    """The pool's results, in input order, are the same whether it watches the pipes with one
    ``poll`` object or (where there is no ``poll``) with ``multiprocessing.connection.wait``."""
    from graph.cli._batch import _Pool

    def results() -> list:
        with ExtractWorker(as_json=True) as one, ExtractWorker(as_json=True) as two:
            return list(_Pool([one, two], 60).run(enumerate(RELEASES)))

    polled = results()
    monkeypatch.delattr(select, "poll")
    waited = results()
    expected = [extract_item(path, as_json=True) for path in RELEASES]
    assert polled == waited == expected


def test_the_console_script_imports_no_command_line_until_it_runs():
    """A worker runs the ``seckg`` script again before its task: the module the script imports
    must not load the command line (the worker would spend a third of a second on it)."""
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="seckg")
    code = f"import sys, {script.module}; print([m for m in {COMMAND_LINE!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
    assert callable(script.load())


def test_the_entry_point_starts_the_fork_server_first_for_the_commands_that_extract(monkeypatch):
    """``extract`` and ``ingest``: the fork server starts before the command line is imported
    and run; any other command starts none."""
    import graph.cli
    import graph.console
    import graph.extraction_worker

    calls: list[str] = []
    monkeypatch.setattr(graph.extraction_worker, "start_fork_server", lambda: calls.append("fork server"))
    monkeypatch.setattr(graph.cli, "main", lambda: calls.append("command line"))
    for command in ("extract", "ingest", "query", "--version"):
        calls.clear()
        monkeypatch.setattr(sys, "argv", ["seckg", command, "x"])
        graph.console.main()
        starts = ["fork server"] if command in ("extract", "ingest") else []
        assert calls == [*starts, "command line"], command


def test_replies_gather_only_while_every_busy_worker_has_inputs_to_go_on_with():
    """The pool waits before reading at most ``_GATHER`` s and at most half the time the busy
    workers need for the inputs queued behind their current one; not at all before a worker's
    pace is known or when one has nothing queued behind its current input."""
    from graph.cli._batch import _GATHER, _Pool

    fast, slow = object(), object()  # the pool keys its books by worker
    pool = _Pool([fast, slow], 60)
    pool.queued[fast].extend([(0, "a"), (1, "b"), (2, "c")])
    pool.queued[slow].extend([(3, "d"), (4, "e"), (5, "f"), (6, "g")])
    assert pool._gather_time([fast, slow]) == 0.0  # no pace known yet
    pool.pace.update({fast: 0.002, slow: 0.5})
    assert pool._gather_time([fast, slow]) == 0.002  # two inputs at 2 ms behind the current one
    assert pool._gather_time([slow]) == _GATHER
    pool.queued[fast].pop()
    pool.queued[fast].pop()
    assert pool._gather_time([fast, slow]) == 0.0

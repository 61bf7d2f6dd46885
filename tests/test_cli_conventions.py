"""Conventions every ``seckg`` command follows: ``--version``, ``-h``, listed and enforced choices,
usage messages that say what to give, and output paths whose folders do not exist yet."""

from __future__ import annotations

import subprocess
import sys

import pytest

from graph.cli import app
from graph.cli._app import package_version
from graph.resources import concept_ids
from tests.graph_support import DATA, run_cli

RECORDS = str(DATA / "records.jsonl")


def run(*args):
    return run_cli(*args, env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    location = tmp_path_factory.mktemp("conventions") / "store"
    result = run("ingest", "--records", RECORDS, "--store", location, "--no-progress")
    assert result.exit_code == 0, result.output
    return location


def _commands() -> list[str]:
    return sorted(command.name for command in app.registered_commands)


def test_version_prints_the_installed_version():
    result = run("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"seckg {package_version()} (extractor compiled: no)"  # the sources
    assert package_version()[0].isdigit()


@pytest.mark.parametrize("command", [None, *_commands()])
def test_dash_h_is_help_on_the_app_and_every_command(command):
    args = [command, "-h"] if command else ["-h"]
    short, long = run(*args), run(*args[:-1], "--help")
    assert short.exit_code == 0, short.output
    assert "Usage: seckg" in short.stdout and short.stdout == long.stdout


@pytest.mark.parametrize(
    ("command", "option", "listed"),
    [
        ("query", "--format", "table|csv|tsv|json|xml"),
        ("export", "--format", "trig|nquads|turtle|jsonld|graphml|gexf|csv"),
        ("export", "--projection", "typed|countries|country-focus|agencies|instruments|instrument-table"),
        ("validate", "--format", "text|json"),
        ("stats", "--format", "text|json"),
        ("links", "--format", "text|json"),
        ("links", "--decision", "merged|possibly-same"),
    ],
)
def test_options_with_a_few_values_list_and_enforce_them(command, option, listed, store):
    assert listed in run(command, "--help").stdout
    wrong = run(command, option, "nosuch", "--store", store)
    assert wrong.exit_code == 2
    assert "'nosuch' is not one of" in wrong.output
    assert all(f"'{value}'" in wrong.output for value in listed.split("|"))
    assert "Traceback" not in wrong.output


def test_query_without_anything_says_what_to_give(store):
    result = run("query", "--store", store)
    assert result.exit_code == 2
    message = result.stderr.strip()
    assert message.startswith("error: give a query: SPARQL text, a .rq file, or --name NAME")
    assert "--list" in message and "not both" not in message
    both = run("query", "ASK {}", "--name", "releases", "--store", store)
    assert both.exit_code == 2 and "not both" in both.stderr


@pytest.mark.parametrize(
    ("query", "param", "known"),
    [
        ("agreements-by-focus", "focus=nosuch", concept_ids("focus-areas.ttl")),
        ("instruments-by-status", "party=XXX", ("PAN", "USA", "EU")),
        ("agencies-by-country", "country=Panama", ("PAN", "MEX")),
    ],
)
def test_unknown_vocabulary_params_are_refused_naming_the_known_ids(query, param, known, store):
    result = run("query", "--name", query, "--param", param, "--store", store)
    assert result.exit_code == 1
    value = param.split("=", 1)[1]
    assert f"{value!r} is not" in result.stderr
    assert all(ident in result.stderr for ident in known)
    assert "Traceback" not in result.output


def test_known_vocabulary_params_still_work(store):
    for param in ("focus=border-security", "focus=Border Security", "focus=focus:cybersecurity"):
        result = run("query", "--name", "agreements-by-focus", "--param", param, "--store", store)
        assert result.exit_code == 0, result.output
    result = run("query", "--name", "agencies-by-country", "--param", "country=pan", "--store", store)
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "trig"),
        ("export", "--format", "jsonld"),
        ("export", "--projection", "countries", "--format", "graphml"),
        ("export", "--projection", "instrument-table", "--format", "csv"),
        ("render",),
    ],
)
def test_out_creates_missing_folders(args, store, tmp_path):
    out = tmp_path / "missing" / "dir" / "x.out"
    result = run(*args, "--out", out, "--store", store)
    assert result.exit_code == 0, result.output
    assert out.is_file() and out.stat().st_size > 0


@pytest.mark.parametrize(
    "args",
    [
        ("export", "--format", "trig"),
        ("export", "--projection", "countries", "--format", "gexf"),
        ("export", "--projection", "instruments", "--format", "csv"),
        ("render",),
    ],
)
def test_out_under_a_file_is_a_one_line_error(args, store, tmp_path):
    (tmp_path / "plain").write_text("not a folder")
    out = tmp_path / "plain" / "x.out"
    result = run(*args, "--out", out, "--store", store)
    assert result.exit_code == 1
    assert result.stderr == f"error: cannot write {out}: {tmp_path / 'plain'} is a file, not a folder\n"
    assert "Traceback" not in result.output


def test_extract_out_creates_folders_or_says_why_it_cannot(tmp_path):
    from tests.graph_support import SAMPLES

    release = str(sorted((SAMPLES / "releases").glob("*.txt"))[0])
    out = tmp_path / "missing" / "dir" / "records.jsonl"
    assert run("extract", release, "--out", out).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1
    (tmp_path / "plain").write_text("not a folder")
    for target, reason in (
        (tmp_path / "plain" / "x.jsonl", f"{tmp_path / 'plain'} is a file, not a folder"),
        (tmp_path / "missing", "Is a directory"),
    ):
        result = run("extract", release, "--out", target)
        assert result.exit_code == 1 and result.stderr == f"error: cannot write {target}: {reason}\n"
    both = run("extract", release, "--summary", "--out", tmp_path / "table.txt")
    assert both.exit_code == 2 and "give one of them" in both.stderr
    assert not (tmp_path / "table.txt").exists()


def test_records_and_files_give_the_same_graphs_either_way(tmp_path):
    """``ingest --records`` of ``extract``'s output and ``ingest`` of the files themselves store the
    same graphs (all but the time each was written), so re-running either way after the other
    changes nothing."""
    from tests.graph_support import SAMPLES

    releases = str(SAMPLES / "releases")
    records = tmp_path / "records.jsonl"
    assert run("extract", releases, "--out", str(records)).exit_code == 0
    exports = []
    for name, first, second in (("a", ["--records", str(records)], [releases]),
                                ("b", [releases], ["--records", str(records)])):  # fmt: skip
        store = str(tmp_path / name)
        assert run("ingest", *first, "--store", store, "--no-progress").exit_code == 0
        again = run("ingest", *second, "--store", store, "--no-progress")
        assert again.exit_code == 0 and "(0 added, 0 replaced, 18 unchanged)" in again.output, again.output
        out = tmp_path / f"{name}.nq"
        assert run("export", "--format", "nquads", "--out", str(out), "--store", store).exit_code == 0
        lines = out.read_text(encoding="utf-8").splitlines()  # all but the time each graph was written
        exports.append([line for line in lines if "prov#generatedAtTime" not in line])
    assert exports[0] == exports[1] and len(exports[0]) > 1000


def test_library_warnings_read_as_the_tools_own_lines(tmp_path):
    """A warning (a feed with no entries yet: nothing failed) is one ``warning:`` line naming the
    file, from the tool itself and from its worker processes alike; the status stays 0."""
    feed = tmp_path / "empty.xml"
    feed.write_text('<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>')
    said = f"warning: {feed}: feed has no entries\n"
    here = run("extract", feed, "--time-limit", "0", "--no-progress")  # read in the tool's process
    assert here.exit_code == 0 and here.stderr == said
    command = [sys.executable, "-m", "graph", "extract", str(feed), "--no-progress"]
    worker = subprocess.run(command, capture_output=True, text=True, timeout=120)  # in a worker
    assert worker.returncode == 0 and worker.stderr == said


def test_counts_of_one_are_singular(tmp_path):
    from tests.graph_support import SAMPLES

    release = sorted((SAMPLES / "releases").glob("*.txt"))[0]
    result = run("ingest", release, "--store", tmp_path / "store", "--no-progress")
    assert result.exit_code == 0
    assert result.stdout.startswith("1 release (1 added, 0 replaced, 0 unchanged), ")
    assert ", 0 failures; " in result.stdout and "resolved 1 report into 1 instrument " in result.stdout

"""Hostile files in a batch (issue "Safe in a hostile world", items 3, 4 and 6): every bad file is
one error line naming it, and the good files of the same batch are all extracted."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from graph.cli import app

runner = CliRunner()
GOOD = {
    "a-good.txt": "Panama and Mexico signed a memorandum of understanding on border security.\n",
    "z-good.txt": "Chile and Peru signed a letter of intent on cybersecurity.\n",
}


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


def _batch(folder: Path, hostile: dict[str, str | bytes]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, content in {**GOOD, **hostile}.items():
        path = folder / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content)
    return folder


def _check(result, folder: Path, bad: list[str], good_ids: set[str]) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for name in bad:
        assert any(str(folder / name) in line for line in errors), (name, result.stderr)
    assert len(errors) == len(bad), result.stderr
    assert all(line.startswith("error: ") for line in result.stderr.splitlines() if line.strip())
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines() if line.startswith("{")}
    assert good_ids <= ids, result.stdout


def test_json_that_breaks_the_parser_is_one_error_and_the_batch_goes_on(tmp_path):
    folder = _batch(
        tmp_path / "in",
        {
            "deep.json": "[" * 100_000 + "]" * 100_000,
            "deep.jsonl": '{"text": "Peru and Chile signed a memorandum."}\n' + "[" * 100_000 + "]" * 100_000,
            "bigint.json": '{"text": "Peru signed.", "id": ' + "9" * 5000 + "}",
            "surrogate.json": '{"text": "Peru and Chile signed a memorandum \\ud800.", "title": "T \\udfff"}',
        },
    )
    result = run("extract", folder, "--no-progress")
    _check(
        result,
        folder,
        ["deep.json", "deep.jsonl:2", "bigint.json"],
        {"a-good", "z-good", "deep-1", "surrogate"},
    )
    surrogate = next(json.loads(x) for x in result.stdout.splitlines() if '"surrogate"' in x)
    assert surrogate["title"] == "T \ufffd"
    ingest = run("ingest", folder, "--store", tmp_path / "store", "--no-progress")
    assert ingest.exit_code == 1 and "4 releases (4 added" in ingest.stdout
    assert "Traceback" not in ingest.output
    for line in ingest.stderr.splitlines():
        assert line.startswith(f"error: {folder}/"), line  # every error names its file


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_special_files_are_refused_before_reading(tmp_path):
    folder = _batch(tmp_path / "in", {})
    os.mkfifo(folder / "x.txt")
    result = run("extract", folder, "--no-progress")
    _check(result, folder, ["x.txt"], {"a-good", "z-good"})
    assert "FIFO" in result.stderr
    device = run("extract", "/dev/zero", "--no-progress")
    assert device.exit_code == 1 and "character device" in device.stderr


def test_pathological_text_answers_within_the_limits_the_tool_enforces(tmp_path):
    unit = "Panama and Mexico signed a Memorandum of Understanding, "
    line = (unit * (2 * 2**20 // len(unit)))[: 2 * 2**20]  # one 2 MiB line, generated here
    folder = _batch(tmp_path / "in", {"m-line.txt": line})
    slow = run("extract", folder, "--no-progress", "--time-limit", "1")
    _check(slow, folder, ["m-line.txt"], {"a-good", "z-good"})
    assert "took longer than 1 s" in slow.stderr and "--time-limit" in slow.stderr
    big = run("extract", folder, "--no-progress", "--memory-limit", "150")
    _check(big, folder, ["m-line.txt"], {"a-good", "z-good"})
    assert "needs more memory than 150 MiB" in big.stderr


def test_odd_names_random_bytes_and_invisible_text_are_one_clear_error(tmp_path):
    import random

    rng = random.Random(4)
    noise = bytes(rng.randrange(0x20, 0x100) for _ in range(40))  # no NUL: decodes as some charset
    folder = _batch(
        tmp_path / "in",
        {
            "new\nline.txt": "",
            "noise.txt": noise,
            "blank.txt": "\u2003\u00a0\u3000\u200b\u2028\u2029\ufeff \u200b\u200c\u200d\u2060\n" * 40,
            "empty.md": b"",
            "digits.txt": "1234 5678 ---- !!!!\n",
        },
    )
    result = run("extract", folder, "--no-progress")
    failing = ["noise.txt", "blank.txt", "empty.md", "digits.txt", "new\\nline.txt"]
    _check(result, folder, failing, {"a-good", "z-good"})
    assert f"error: {folder}/digits.txt: no words (no letters: " in result.stderr
    assert f"error: {folder}/new\\nline.txt: empty file" in result.stderr  # one line, the name escaped
    assert "random bytes" in result.stderr and "empty file (no letters: " in result.stderr


def test_title_evidence_offsets_are_offsets_in_the_release_title():
    from graph import Release, extract

    for title in (
        "  Panama and Mexico Sign Memorandum",
        "\n Panama and\nMexico Sign ",
        "Panama and\n\nMexico",
    ):
        record = extract(Release(id="t", title=title, text="Panama and Mexico signed a memorandum."))
        spans = [e for e in record.evidence if e.part == "title"]
        assert spans and all(title[e.start : e.end] == e.sentence for e in spans), (title, spans)


def test_a_killed_export_leaves_no_temporary_file_behind(tmp_path):
    import signal
    import subprocess
    import sys

    from tests.graph_support import build_store, fixture_items

    store = tmp_path / "store"
    build_store(fixture_items(), store)
    out = tmp_path / "out" / "graph.nq"
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    out.parent.mkdir()
    stale = out.parent / f".graph.nq.{gone.pid}.x1.partial"
    stale.write_bytes(b"half an export")
    command = [
        sys.executable,
        "-m",
        "graph",
        "export",
        "--format",
        "nquads",
        "--out",
        str(out),
        "--store",
        str(store),
    ]
    victim = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.8)
    victim.send_signal(signal.SIGKILL)  # kill -9, wherever it is
    victim.wait(30)
    again = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert not list(out.parent.glob(".graph.nq.*")), list(out.parent.iterdir())
    assert out.read_text().count("\n") > 100


def test_classic_hostile_files_are_refused_or_read_safely(tmp_path):
    import gzip

    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else "no-host"
    xxe = (
        "<?xml version='1.0'?><!DOCTYPE rss [<!ENTITY x SYSTEM 'file:///etc/hostname'>]>"
        "<rss version='2.0'><channel><title>t</title><item><title>Peru and Chile &x;</title>"
        "<description>Peru and Chile signed a memorandum &x;.</description></item></channel></rss>"
    )
    laughs = "<!ENTITY a0 'lol'>" + "".join(
        f"<!ENTITY a{i} '{('&a' + str(i - 1) + ';') * 10}'>" for i in range(1, 10)
    )
    bomb_feed = (
        f"<?xml version='1.0'?><!DOCTYPE rss [{laughs}]><rss version='2.0'><channel><title>&a9;</title>"
        "<item><title>Peru</title><description>Peru and Chile signed a memorandum.</description></item>"
        "</channel></rss>"
    )
    folder = _batch(
        tmp_path / "in",
        {
            "xxe.rss": xxe,
            "bomb.rss": bomb_feed,
            "bomb.html": f"<!DOCTYPE html [{laughs}]><html><body><p>&a9; Peru signed.</p></body></html>",
            "empty.txt": b"",
            "png.txt": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
            "gzip.txt": gzip.compress(b"Peru and Chile signed a memorandum. " * 100_000),
            "utf16.txt": b"\xff\xfe" + b"\x00\xd8",  # a BOM, then a lone surrogate
        },
    )
    with (folder / "huge.txt").open("wb") as huge:  # sparse: over 5 MiB without writing them
        huge.truncate(6 * 2**20)
    result = run("extract", folder, "--no-progress")
    bad = ["empty.txt", "png.txt", "gzip.txt", "utf16.txt", "huge.txt"]
    assert result.exit_code == 1 and "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    for name in bad:
        assert any(f"{folder / name}:" in line for line in errors), (name, result.stderr)
    assert hostname not in result.stdout  # no external entity was read
    assert "lollollollollol" not in result.stdout  # no entity expanded
    assert len(result.stdout) < 100_000
    ids = {json.loads(line)["id"] for line in result.stdout.splitlines()}
    assert {"a-good", "z-good"} <= ids

"""``seckg extract`` through Typer's runner: JSON Lines out, clear errors, exit codes."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from graph.cli import app
from tests.conftest import SAMPLES

runner = CliRunner()

FIELDS = ["id", "title", "date", "source", "language", "countries", "agencies", "people", "agreements"]


def test_extract_prints_one_contract_record_per_release(tmp_path):
    result = runner.invoke(app, ["extract", str(SAMPLES / "releases")])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == len(list((SAMPLES / "releases").glob("*.txt")))
    for record in lines:
        assert all(field in record for field in [*FIELDS, "focus_areas", "evidence"])
    first = lines[0]
    assert first["id"] == "01-us-panama-letter-of-intent"
    assert first["agreements"][0]["type"] == "letter-of-intent"
    assert first["agreements"][0]["parties"] == ["PAN", "USA"]


def test_extract_writes_out_file(tmp_path):
    out = tmp_path / "records.jsonl"
    release = SAMPLES / "releases" / "08-us-mexico-mutual-recognition-arrangement.txt"
    result = runner.invoke(app, ["extract", str(release), "--out", str(out)])
    assert result.exit_code == 0
    (record,) = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["agreements"][0]["type"] == "arrangement"
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.txt", b"", "empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("broken.json", b'{"title": "x", "text": ', "JSON"),
        ("blank.html", b"<html><body><nav>Home</nav></body></html>", "text"),
    ],
)
def test_bad_input_is_reported_and_the_batch_goes_on(tmp_path, name, content, reason):
    bad = tmp_path / name
    bad.write_bytes(content)
    good = SAMPLES / "releases" / "06-canada-us-mou-truck-cargo-preinspection.txt"
    result = runner.invoke(app, ["extract", str(bad), str(good)])
    assert result.exit_code == 1
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in records] == ["06-canada-us-mou-truck-cargo-preinspection"]
    (message,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert str(bad) in message and reason.lower() in message.lower()


def test_missing_file_is_an_error(tmp_path):
    result = runner.invoke(app, ["extract", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "nope.txt" in result.stderr and result.stdout == ""


def test_summary_is_readable():
    result = runner.invoke(app, ["extract", str(SAMPLES / "releases"), "--summary"])
    assert result.exit_code == 0
    assert "releases extracted" in result.stdout
    gold = [json.loads(p.read_text(encoding="utf-8")) for p in (SAMPLES / "expected").glob("*.json")]
    expected = sum(len(record["agreements"]) for record in gold)
    assert f"{expected} reported agreements" in result.stdout


def test_a_release_id_used_twice_in_a_batch_is_reported_not_overwritten(tmp_path):
    source = (SAMPLES / "releases" / "06-canada-us-mou-truck-cargo-preinspection.txt").read_bytes()
    for folder in ("2013", "2014"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "release.txt").write_bytes(source)
    result = runner.invoke(app, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["release"]
    (message,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert "2014" in message and "already used" in message and "2013" in message


def test_jobs_give_the_same_records_in_the_same_order(tmp_path):
    from tests.graph_support import SAMPLES

    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"records-{jobs}.jsonl"
        result = runner.invoke(app, ["extract", str(SAMPLES / "releases"), "--jobs", jobs, "--out", str(out)])
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert len(outputs[0].splitlines()) == len(list((SAMPLES / "releases").iterdir()))


def test_standard_output_gets_the_bytes_of_the_out_file(tmp_path):
    """The lines go to standard output's byte stream as they come: the same bytes as ``--out``,
    accents and all (the samples include Spanish releases)."""
    out = tmp_path / "records.jsonl"
    to_file = runner.invoke(app, ["extract", str(SAMPLES / "releases"), "--out", str(out)])
    to_stdout = runner.invoke(app, ["extract", str(SAMPLES / "releases")])
    assert to_file.exit_code == to_stdout.exit_code == 0, to_stdout.output
    assert to_stdout.stdout_bytes == out.read_bytes() and "á".encode() in out.read_bytes()


def test_a_worker_can_send_records_as_the_lines_the_tool_writes():
    """``as_json``: the record comes as the bytes of its JSON line (what ``seckg extract``
    writes) and the release as its origin (id, path, URL); the same record as the plain reply."""
    from graph.extraction_worker import extract_item

    sample = sorted((SAMPLES / "releases").glob("*.txt"))[0]
    ((record, release),) = extract_item(sample)[0]
    ((line, origin),) = extract_item(sample, as_json=True)[0]
    assert line == json.dumps(record.to_dict(), ensure_ascii=False).encode("utf-8")
    assert json.loads(line)["id"] == release.id == origin.id
    assert (origin.path, origin.url) == (release.path, release.url) and release.path

"""The README's commands work as written (a docs test, in the spirit of datasette's).

Every ``seckg`` line of the README's shell blocks runs through the CLI runner against a store
built from the project's samples; lines that need the network or the reader's own files
(a URL, ``page.html``, ``my-question.rq``) are left out, and so is nothing else.
"""

from __future__ import annotations

import re
import shlex
import shutil

import pytest
from typer.testing import CliRunner

from graph.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
NEEDS_OUTSIDE = ("https://", "http://", "page.html", "feed.xml", "notes/", "my-question.rq")


def _shell_lines() -> list[str]:
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", README, flags=re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command.startswith("seckg ") and not any(s in command for s in NEEDS_OUTSIDE):
                lines.append(command)
    return lines


def test_readme_starts_with_the_two_setup_commands():
    first_block = re.search(r"```sh\n(.*?)```", README, flags=re.S).group(1)
    assert [line.split()[:2] for line in first_block.splitlines()] == [["make", "demo"], ["make", "test"]]
    assert README.index("make demo") < 200


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    location = tmp_path_factory.mktemp("readme") / "store"
    result = CliRunner().invoke(
        app, ["ingest", str(ROOT / "data/samples/releases"), "--store", str(location)]
    )
    assert result.exit_code == 0, result.output
    return location


@pytest.mark.parametrize("command", _shell_lines())
def test_readme_command_runs(command, store, monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("SECKG_STORE", str(store))
    args = shlex.split(command)
    written = ROOT / args[args.index("--out") + 1] if "--out" in args else None
    if written is not None and written.is_dir():
        shutil.rmtree(written)
    elif written is not None:
        written.unlink(missing_ok=True)
    result = CliRunner().invoke(app, args[1:])
    assert result.exit_code == 0, (command, result.output)
    if written is not None:
        assert written.exists() and (written.is_dir() or written.stat().st_size > 0), command
    else:
        assert result.stdout.strip(), command


def test_readme_covers_the_main_commands():
    commands = {line.split()[1] for line in _shell_lines()}
    assert {"extract", "query"} <= commands

"""Network only on request (issue "Safe in a hostile world", item 2): a local file never causes a
fetch; linked pages need --fetch-linked-pages and then reach public hosts only."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from graph.ingest import IngestError
from graph.ingest.http import LinkedPages, check_public_url
from tests.hostile_support import Listener

ROOT = Path(__file__).resolve().parent.parent
INGEST = ROOT / "graph" / "ingest"

#: Runs ``seckg`` with an audit hook that records every socket connection, then reports them
#: and whether graph.ingest.http was imported.
PROBE = """
import json, sys
connects = []
sys.addaudithook(lambda event, args: connects.append(repr(args[1])) if event == "socket.connect" else None)
from graph.cli import app
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
except Exception as err:
    print("EXC", err, file=sys.stderr)
print(json.dumps({"connects": connects, "http": "graph.ingest.http" in sys.modules,
                  "httpx": "httpx" in sys.modules}), file=sys.stderr)
"""


def _feed(url: str) -> str:
    return (
        "<?xml version='1.0'?><rss version='2.0'><channel><title>News</title>"
        f"<item><title>Peru and Chile</title><link>{url}</link>"
        "<description>Peru and Chile signed a memorandum on border security.</description></item>"
        "</channel></rss>"
    )


def _local_corpus(tmp_path: Path, url: str) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "feed.rss").write_text(_feed(url))
    (folder / "feed.xml").write_text(_feed(url + "?xml"))
    (folder / "page.html").write_text(
        f"<html><head><link rel='canonical' href='{url}'><meta property='og:url' content='{url}'>"
        f"</head><body><article><p>Peru and Chile signed a memorandum.</p><img src='{url}'>"
        "</article></body></html>"
    )
    (folder / "records.json").write_text(
        json.dumps([{"url": url + "?json", "html": f"<p>Text <a href='{url}'>x</a></p>"}])
    )
    (folder / "note.txt").write_text(f"Peru and Chile signed a memorandum. See {url}\n")
    return folder


def _probe(*args: str) -> tuple[dict, str]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    *lines, last = out.stderr.strip().splitlines()
    return json.loads(last), "\n".join(lines) + out.stdout


def test_extracting_local_files_never_imports_http_nor_connects(tmp_path):
    with Listener() as listener:
        folder = _local_corpus(tmp_path, listener.url)
        seen, output = _probe("extract", str(folder), "--no-progress", "--time-limit", "0")  # in-process
        assert seen["connects"] == [] and not seen["http"], seen
        _, in_workers = _probe("extract", str(folder), "--no-progress")  # the default: worker processes
        assert listener.connections == 0
        assert in_workers.count('"id"') == 5
    assert output.count('"id"') == 5, output  # every release read: the feed entries keep their summary
    assert "Traceback" not in output


def test_linked_pages_need_the_option_and_public_hosts(tmp_path):
    with Listener() as listener:
        folder = _local_corpus(tmp_path, listener.url)
        seen, output = _probe(
            "extract", str(folder / "feed.rss"), "--no-progress", "--fetch-linked-pages", "--time-limit", "0"
        )
        assert listener.connections == 0 and seen["connects"] == []
        assert "Peru and Chile signed a memorandum" in output  # the summary stays
        assert seen["http"]  # asked for: the http stage was used, and refused the loopback host
        seen, _ = _probe(
            "extract",
            str(folder / "feed.rss"),
            "--no-progress",
            "--fetch-linked-pages",
            "--allow-private-hosts",
        )
        assert listener.connections == 1  # fetched by the worker process


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/", "http://localhost:8080/", "http://[::1]/", "http://10.1.2.3/",
        "http://172.16.0.1/", "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/", "http://0.0.0.0/", "http://[::ffff:127.0.0.1]/", "http://[fd00::1]/",
        "http://[fe80::1]/", "http://224.0.0.1/", "http://2130706433/", "http://0x7f000001/",
        "http://127.1/", "file:///etc/hostname", "gopher://127.0.0.1/", "ftp://example.org/",
        "http:///nohost",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(url):
    with pytest.raises(IngestError):
        check_public_url(url)


def test_linked_page_redirects_are_checked_too():
    with Listener() as listener, LinkedPages() as fetch:
        with pytest.raises(IngestError, match="refused"):
            fetch(listener.url)
        assert listener.connections == 0


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("graph.ingest."):
            found.add(node.module.rsplit(".", 1)[1])
        elif isinstance(node, ast.Import):
            found |= {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("graph.ingest.")}
    return found


def test_ingest_stages_have_no_import_cycle_and_only_http_opens_sockets():
    graph = {p.stem: _imports(p) for p in INGEST.glob("*.py") if p.stem != "__init__"}
    assert set(graph) >= {"decode", "files", "html", "feeds", "http"}
    state: dict[str, int] = {}

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert state.get(node) != 1, f"import cycle: {' -> '.join((*trail, node))}"
        if state.get(node) == 2:
            return
        state[node] = 1
        for dep in graph.get(node, ()):
            visit(dep, (*trail, node))
        state[node] = 2

    for module in graph:
        visit(module, ())
    for path in INGEST.glob("*.py"):
        text = path.read_text()
        if path.stem != "http":
            assert "import httpx" not in text and "import socket" not in text, path
    assert "http" not in _imports(INGEST / "__init__.py")
    clean = subprocess.run(
        [sys.executable, "-c", "import sys, graph, graph.ingest; print('graph.ingest.http' in sys.modules)"],
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    assert clean.stdout.strip() == "False"

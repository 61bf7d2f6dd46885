"""The query page of ``seckg serve`` in a real browser (Debian's Chromium via Playwright), its
resource pages, its service description and the opt-in CORS header, through real HTTP requests.

Every request the page makes to a host other than the server is aborted and recorded: the page
must work (and ask for nothing) offline. Expected answers come from the library
(:func:`graph.query.run_query`) and the protocol endpoint, not from the page itself.
Writes ``out/query-page.png`` (the screenshot in the README is a copy of it: ``docs/query-page.png``).
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from graph.query import load_saved_query, run_query
from graph.server import make_server
from tests.explore_support import OUT, XSS, hostile_items
from tests.graph_support import build_store, fixture_items

pytestmark = pytest.mark.server

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
WATCH_CSP = (
    "window.__blocked = []; document.addEventListener('securitypolicyviolation',"
    " e => window.__blocked.push(e.blockedURI));"
)
HOSTILE_LABEL = "SELECT ?s WHERE { ?s rdfs:label ?l FILTER(CONTAINS(?l, '<script>')) } ORDER BY ?s LIMIT 1"


def start(store, **kwargs):
    server = make_server(store, port=0, **kwargs)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def served():
    store = build_store([*fixture_items(), *hostile_items()])
    server, url = start(store, timeout=20)
    yield store, url
    server.shutdown()
    server.server_close()


class Page:
    """A tab on the server with every request elsewhere aborted (and remembered)."""

    def __init__(self, browser, url: str, path: str = "/query"):
        self.url = url
        self.context = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
        self.context.add_init_script(WATCH_CSP)  # what the page's own policy stopped
        self.tab = self.context.new_page()
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self.tab.route("**/*", self._route)
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.goto(url + path)

    def _route(self, route) -> None:
        if route.request.url.startswith(self.url + "/"):
            route.continue_()
        else:
            self.elsewhere.append(route.request.url)
            route.abort()

    def ready(self) -> Page:
        self.tab.wait_for_selector("body[data-ready='1']", timeout=30_000)
        return self

    def blocked(self) -> list[str]:
        """Requests that the page's Content-Security-Policy refused (they never reach the network)."""
        return self.tab.evaluate("() => window.__blocked")

    def set_query(self, text: str) -> None:
        self.tab.evaluate("text => window.seckgYasgui.getTab().getYasqe().setValue(text)", text)

    def results(self) -> list[list[str]]:
        """The rows of the results table as shown (row number cell left out)."""
        self.tab.wait_for_selector(".yasr_results table.dataTable tbody tr", timeout=30_000)
        return self.tab.evaluate(
            """() => [...document.querySelectorAll('.yasr_results table.dataTable tbody tr')]
                 .map(tr => [...tr.querySelectorAll('td')].slice(1).map(td => td.innerText.trim()))"""
        )

    def close(self) -> None:
        self.context.close()


def compact(iri: str) -> str:
    from graph.results import compact_iri

    return compact_iri(iri)


@pytest.mark.browser
def test_page_works_offline_and_links_resources(served, browser):
    _, url = served
    page = Page(browser, url).ready()
    try:
        page.set_query("SELECT ?a WHERE { ?a a seckg:Agreement } ORDER BY ?a")
        page.tab.click(".yasqe_queryButton")
        rows = page.results()
        listed = run_query(served[0], "SELECT ?a WHERE { ?a a seckg:Agreement } ORDER BY ?a")
        expected = [r["a"] for r in listed.records()]
        assert [r[0] for r in rows] == [compact(iri) for iri in expected]
        hrefs = page.tab.eval_on_selector_all(".yasr_results a.iri", "links => links.map(a => a.href)")
        assert hrefs[: len(expected)] == [f"{url}/resource?iri={quote(iri, safe='')}" for iri in expected]
        page.set_query("SELECT * WHERE { ?s a skos:Concept ; skos:prefLabel ?l ;")  # no PREFIX lines
        page.tab.click(".CodeMirror-line >> nth=0")
        page.tab.keyboard.press("End")
        page.tab.keyboard.type(" skos:notation ?n . ?s a org:")  # autocompletion asks no vocabulary service
        page.tab.wait_for_timeout(500)
        page.tab.keyboard.press("Escape")
        page.tab.keyboard.type("Organization }")
        assert page.tab.query_selector_all(".parseErrorIcon") == []  # the editor knows our prefixes
        assert page.blocked() == [] and page.elsewhere == []
        page.tab.click(".yasr_results a.iri >> nth=0")
        page.tab.wait_for_selector("h2", timeout=30_000)
        assert "Facts about it" in page.tab.inner_text("body")
        assert page.elsewhere == [] and page.errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_saved_query_runs_with_a_parameter_from_the_form(served, browser):
    store, url = served
    saved = load_saved_query("focus-areas-by-country")
    expected = run_query(store, saved.text, params={"country": "HND"})
    everything = run_query(store, saved.text)
    assert 0 < len(expected.rows) < len(everything.rows)  # the parameter changes the answer
    page = Page(browser, url).ready()
    try:
        page.tab.select_option("#saved", "focus-areas-by-country")
        page.tab.fill("#param-country", "HND")
        page.tab.click("#run-saved")
        rows = page.results()
        index = expected.variables.index("country")
        assert len(rows) == len(expected.rows)
        assert {row[index] for row in rows} == {compact(str(r[index].value)) for r in expected.rows}
        OUT.mkdir(exist_ok=True)
        page.tab.screenshot(path=str(OUT / "query-page.png"))
        # empty fields: the declared default applies, as with `seckg query --name`
        dhs = load_saved_query("agency-instruments")
        expected = run_query(store, dhs.text)
        assert len(expected.rows) != len(run_query(store, dhs.text, declared=()).rows)
        page.tab.select_option("#saved", "agency-instruments")
        with page.tab.expect_response(lambda r: "/queries/run" in r.url) as answer:
            page.tab.click("#run-saved")
        assert answer.value.status == 200
        page.tab.wait_for_function(
            """n => [...document.querySelectorAll('.yasr_results table.dataTable tbody tr')]
                     .filter(tr => tr.querySelectorAll('td').length > 1).length === n""",
            arg=len(expected.rows),
            timeout=30_000,
        )
        assert page.elsewhere == [] and page.errors == []
    finally:
        page.close()


@pytest.mark.browser
def test_download_csv_and_json(served, browser):
    _, url = served
    query = "SELECT ?a ?t WHERE { ?a a seckg:Agreement ; dcterms:title ?t } ORDER BY ?a"
    page = Page(browser, url).ready()
    try:
        page.set_query(query)
        with page.tab.expect_download() as got:
            page.tab.click("#download-csv")
        csv_text = Path(got.value.path()).read_text(encoding="utf-8")
        with page.tab.expect_download() as got:
            page.tab.click("#download-json")
        data = json.loads(Path(got.value.path()).read_text(encoding="utf-8"))
        assert page.elsewhere == []
    finally:
        page.close()
    rows = list(csv.reader(io.StringIO(csv_text)))
    protocol = httpx.get(url + "/query", params={"query": query}, headers={"Accept": "text/csv"}).text
    assert rows[0] == ["a", "t"] and len(rows) > 1
    assert rows == list(csv.reader(io.StringIO(protocol)))
    assert [b["a"]["value"] for b in data["results"]["bindings"]] == [r[0] for r in rows[1:]]


@pytest.mark.browser
def test_parse_error_shows_line_and_column(served, browser):
    _, url = served
    bad = "SELECT ?x WHERE {\n  ?x ?p ?o .\n  FILTER(?x = )\n}"
    answer = httpx.get(url + "/query", params={"query": bad})
    line, column = re.search(r"error at (\d+):(\d+)", answer.text).groups()
    assert answer.status_code == 400 and line == "3"
    page = Page(browser, url).ready()
    try:
        page.set_query(bad)
        page.tab.click(".yasqe_queryButton")
        shown = page.tab.wait_for_selector(".seckg-error-position", timeout=30_000).inner_text()
        assert shown == f"Syntax error at line {line}, column {column}"
        marked = page.tab.evaluate(
            """() => { const y = window.seckgYasgui.getTab().getYasqe(), out = [];
                y.eachLine(h => { if ((h.bgClass || '').includes('seckg-error-line')) out.push(h.text); });
                return out; }"""
        )
        assert marked == ["  FILTER(?x = )"]  # the line is marked in the editor
    finally:
        page.close()


def test_resource_page_escapes_hostile_text(served, browser):
    store, url = served
    (row,) = run_query(store, HOSTILE_LABEL).records()
    answer = httpx.get(url + "/resource", params={"iri": row["s"]})
    assert answer.status_code == 200 and "script-src" not in answer.headers["Content-Security-Policy"]
    assert "<script" not in answer.text.lower() and "<img" not in answer.text.lower()
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in answer.text
    evidence = run_query(store, "SELECT ?r WHERE { ?r seckg:hasEvidence ?e } ORDER BY ?r LIMIT 1").records()
    page = httpx.get(url + "/resource", params={"iri": evidence[0]["r"]}).text
    assert "<h2>Evidence (" in page and "graph/release/" in page  # the sentence and its named graph
    assert httpx.get(url + "/resource", params={"iri": "not an iri"}).status_code == 400
    tab = Page(browser, url, "/resource?iri=" + quote(row["s"], safe=""))
    try:
        tab.tab.wait_for_selector("h1", timeout=30_000)
        assert XSS in tab.tab.inner_text("body")  # shown as text
        assert tab.tab.evaluate("() => window.__xss === undefined") and tab.elsewhere == []
    finally:
        tab.close()
    page = Page(browser, url).ready()  # the same text in the results table
    try:
        page.set_query(HOSTILE_LABEL.replace("SELECT ?s", "SELECT ?s ?l"))
        page.tab.click(".yasqe_queryButton")
        assert XSS in page.results()[0][1]
        assert page.tab.evaluate("() => window.__xss === undefined") and page.elsewhere == []
    finally:
        page.close()


def test_service_description_is_rdf(served):
    store, url = served
    for media, syntax in (("text/turtle", "turtle"), ("application/rdf+xml", "xml"), (None, "turtle")):
        answer = httpx.get(url + "/query", headers={"Accept": media} if media else {})
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media or "text/turtle")
        graph = Graph().parse(data=answer.text, format=syntax)
        (service,) = graph.subjects(SD.endpoint, URIRef(url + "/query"))
        assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
        assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in graph  # read-only
        assert (service, SD.feature, SD.UnionDefaultGraph) in graph
        formats = {str(f).rsplit("/", 1)[1] for f in graph.objects(service, SD.resultFormat)}
        assert {"SPARQL_Results_JSON", "SPARQL_Results_CSV", "Turtle"} <= formats
        names = {str(n) for n in graph.objects(None, SD.name)}
        assert names == {g.value for g in store.named_graphs()}
    page = httpx.get(url + "/query", headers={"Accept": BROWSER_ACCEPT})
    assert page.headers["content-type"].startswith("text/html") and "/query-assets/yasgui.min.js" in page.text
    assert httpx.get(url + "/").headers["location"] == "/query"
    assert httpx.get(url + "/query", headers={"Accept": "application/sparql-results+json"}).status_code == 406
    alias = Graph().parse(data=httpx.get(url + "/sparql").text)
    assert Literal("seckg SPARQL endpoint") in set(alias.objects())


def test_parameters_are_bound_as_terms(served):
    store, url = served
    text = load_saved_query("focus-areas-by-country").text
    run = httpx.post(url + "/queries/run", params={"param": "country=HND"}, data={"query": text})
    expected = run_query(store, text, params={"country": "HND"})
    assert run.status_code == 200 and len(run.json()["results"]["bindings"]) == len(expected.rows)
    hostile = httpx.post(url + "/queries/run", params={"param": "country=X> } ; DROP"}, data={"query": text})
    assert hostile.status_code == 400 and "is not a country code of the gazetteer" in hostile.text
    listing = {q["name"]: q for q in httpx.get(url + "/queries").json()}
    assert listing["focus-areas-by-country"]["params"] == [
        {"name": "country", "kind": "country", "default": None, "description": ""}
    ]
    assert httpx.get(url + "/query-assets/LICENSE").text.count("@zazuko/yasgui") >= 1
    assert httpx.get(url + "/query-assets/../server.py").status_code == 404


def _cors(response) -> str | None:
    return response.headers.get("access-control-allow-origin")


def test_cors_header_only_when_asked(served):
    _, url = served
    ask = {"query": "ASK {}"}
    assert _cors(httpx.get(url + "/query", params=ask)) is None
    assert _cors(httpx.options(url + "/query")) is None
    server, cors_url = start(build_store(fixture_items()), cors=True)
    try:
        for path in ("/query", "/sparql"):
            assert _cors(httpx.get(cors_url + path, params=ask)) == "*"
        preflight = httpx.options(cors_url + "/query")
        assert _cors(preflight) == "*" and "POST" in preflight.headers["access-control-allow-methods"]
        assert _cors(httpx.get(cors_url + "/queries")) is None
        assert _cors(httpx.get(cors_url + "/query", headers={"Accept": BROWSER_ACCEPT})) == "*"
        assert _cors(httpx.get(cors_url + "/resource", params={"iri": "urn:x"})) is None
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("flag", [[], ["--cors"]])
def test_serve_cors_flag(flag):
    process = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", ":memory:", "--port", "0", *flag],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        banner = process.stdout.readline()
        assert "SPARQL endpoint http://" in banner, banner + process.stderr.read()
        endpoint = banner.split()[2]
        assert endpoint.endswith("/query")
        got = httpx.get(endpoint, params={"query": "ASK {}"}, timeout=30)
        assert got.status_code == 200 and _cors(got) == ("*" if flag else None)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_bundle_is_the_pinned_yasgui_with_its_licences(served):
    _, url = served
    folder = Path(__file__).resolve().parents[1] / "graph" / "query_assets"
    version = re.search(r"^YASGUI_VERSION=(\S+)$", (folder / "build.sh").read_text(), re.M).group(1)
    licence = (folder / "LICENSE").read_text(encoding="utf-8")
    assert f"@zazuko/yasgui {version} from the npm registry" in licence.splitlines()[0]
    assert f"\n@zazuko/yasgui {version} (MIT)\n" in licence and "\ncodemirror " in licence
    assert "sourceMappingURL" not in (folder / "yasgui.min.js").read_text(encoding="utf-8")
    page = httpx.get(url + "/query", headers={"Accept": BROWSER_ACCEPT}).text
    for name in re.findall(r'"/query-assets/([^"]+)"', page):
        served_file = httpx.get(url + "/query-assets/" + name)
        assert served_file.status_code == 200 and served_file.content == (folder / name).read_bytes()


def test_pages_over_a_remote_store_match_the_local_ones(served):
    store, url = served
    from graph.remote import RemoteStore

    remote = RemoteStore.from_url(url + "/query")
    server, proxy = start(remote)
    try:
        panama = "SELECT ?a WHERE { ?a a seckg:Agreement ; seckg:party country:PAN } ORDER BY ?a"
        row = run_query(store, panama).records()[0]
        page = {u: httpx.get(u + "/resource", params={"iri": row["a"]}, timeout=30) for u in (url, proxy)}
        assert page[proxy].status_code == 200 and page[proxy].text == page[url].text
        assert "<h2>Evidence (" in page[url].text
        text = load_saved_query("focus-areas-by-country").text
        runs = [
            httpx.post(u + "/queries/run", params={"param": "country=HND"}, data={"query": text}, timeout=30)
            for u in (url, proxy)
        ]
        assert runs[0].json() == runs[1].json() and runs[0].json()["results"]["bindings"]
    finally:
        server.shutdown()
        server.server_close()
        remote.close()


def _bindings(answer: dict) -> list[str]:
    """The rows, in a canonical order; the items of a ``GROUP_CONCAT`` too (SPARQL leaves their
    order to the engine's plan, which a ``VALUES`` block changes)."""
    rows = []
    for binding in answer["results"]["bindings"]:
        for term in binding.values():
            if term["type"] == "literal":  # GROUP_CONCAT separators here: "," and " "
                term["value"] = " ".join(sorted(re.split(r"[ ,]", term["value"])))
        rows.append(json.dumps(binding, sort_keys=True))
    return sorted(rows)


def test_every_saved_query_binds_its_parameters_like_the_library(served):
    """``/queries/run`` (VALUES blocks through the protocol) answers what ``run_query`` (engine
    substitutions) answers, for every saved query with no parameter and with each one."""
    from graph.query import saved_queries
    from graph.results import serialize_media

    store, url = served
    first = "SELECT ?x WHERE { ?x a %s } ORDER BY ?x LIMIT 1"
    value = {
        "country": "HND", "focus": "border-security", "integer": "2020",
        "agency": "USA/department-of-homeland-security",
        "agreement": run_query(store, first % "seckg:Agreement").records()[0]["x"],
        "person": run_query(store, first % "schema:Person").records()[0]["x"],
    }  # fmt: skip
    checked = 0
    for saved in saved_queries():
        for params in [{}, *({p.name: value[p.kind]} for p in saved.params)]:
            args = [f"{name}={given}" for name, given in params.items()]
            answer = httpx.post(url + "/queries/run", params={"param": args}, data={"query": saved.text})
            assert answer.status_code == 200, (saved.name, params, answer.text)
            result = run_query(store, saved.text, params=params)
            expected = json.loads(serialize_media(result, "application/json"))
            assert _bindings(answer.json()) == _bindings(expected), (saved.name, params)
            checked += bool(expected["results"]["bindings"])
    assert checked >= 10  # most runs have an answer to compare

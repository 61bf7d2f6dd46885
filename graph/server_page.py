"""The endpoint's query page: plain HTML and a small script, no external resources (works offline).

Results are put in the page with ``textContent`` only, never as markup.
"""

from __future__ import annotations

__all__ = ["PAGE_HTML", "PAGE_JS"]

PAGE_HTML = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>seckg SPARQL</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; }
textarea { width: 100%; height: 14em; font: 13px/1.3 monospace; }
table { border-collapse: collapse; margin-top: 1em; font-size: 13px; }
td, th { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
#status { margin-left: 1em; color: #555; }
.error { color: #a00; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>seckg SPARQL endpoint</h1>
<p>SPARQL 1.1 Protocol at <code>/sparql</code> (GET or POST <code>query</code>).
The default graph is the union of all graphs. Prefixes such as <code>seckg:</code>, <code>country:</code>,
<code>focus:</code> are predeclared. <a href="/viewer">Graph viewer</a></p>
<p><label>Saved query: <select id="saved"><option value="">(choose)</option></select></label>
<span id="question"></span></p>
<textarea id="query" spellcheck="false">SELECT ?agreement ?title ?date WHERE {
  ?agreement a seckg:Agreement .
  OPTIONAL { ?agreement dcterms:title ?title }
  OPTIONAL { ?agreement seckg:signedOn ?date }
} ORDER BY ?date LIMIT 50</textarea>
<p><button id="run">Run query</button><span id="status"></span></p>
<div id="out"></div>
<script src="/page.js"></script>
</body>
</html>
"""

PAGE_JS = """'use strict';
const $ = (id) => document.getElementById(id);
function cell(term) {
  if (!term) return '';
  return term.value + (term['xml:lang'] ? '@' + term['xml:lang'] : '');
}
function show(data) {
  const out = $('out');
  out.textContent = '';
  if ('boolean' in data) { out.textContent = data.boolean ? 'yes' : 'no'; return; }
  const vars = data.head.vars, table = document.createElement('table'), head = table.insertRow();
  for (const v of vars) { const th = document.createElement('th'); th.textContent = v; head.appendChild(th); }
  for (const b of data.results.bindings) {
    const row = table.insertRow();
    for (const v of vars) row.insertCell().textContent = cell(b[v]);
  }
  out.appendChild(table);
  $('status').textContent = data.results.bindings.length + ' row(s)';
}
function showText(text, className) {
  const pre = document.createElement('pre');
  pre.className = className;
  pre.textContent = text;
  $('out').textContent = '';
  $('out').appendChild(pre);
}
async function run() {
  $('status').textContent = 'running…';
  const body = new URLSearchParams({query: $('query').value});
  try {
    const r = await fetch('/sparql', {method: 'POST', body: body,
      headers: {'Accept': 'application/sparql-results+json, text/turtle;q=0.5'}});
    const text = await r.text();
    if (!r.ok) {
      showText(text, 'error');
      $('status').textContent = r.status;
    } else if ((r.headers.get('content-type') || '').includes('json')) {
      show(JSON.parse(text));
    } else {
      showText(text, '');
      $('status').textContent = '';
    }
  } catch (e) { $('status').textContent = String(e); }
}
async function loadSaved() {
  const r = await fetch('/queries');
  if (!r.ok) return;
  const saved = await r.json();
  for (const q of saved) {
    const option = document.createElement('option');
    option.value = q.name;
    option.textContent = q.name;
    $('saved').appendChild(option);
  }
  $('saved').addEventListener('change', () => {
    const q = saved.find((s) => s.name === $('saved').value);
    if (q) { $('query').value = q.text; $('question').textContent = q.question; }
  });
}
$('run').addEventListener('click', run);
loadSaved();
"""

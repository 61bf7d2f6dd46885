// The seckg query page: YASGUI (bundled beside this file) on this server's /query endpoint.
// Nothing is fetched from another host: the class and property autocompleters (they ask a
// public vocabulary service) are left out, and prefixes come from the server (graph/namespaces.py).
// Saved queries (/queries) come with their parameters as form fields; a run with parameters goes
// to /queries/run, which binds them as RDF terms (form values are never pasted into the text). IRIs in results link to /resource?iri=...
// Text from the server is put in the page with textContent or escaped by the browser (outerHTML).
'use strict';
(function () {
  const config = JSON.parse(document.getElementById('seckg-config').textContent);
  const $ = (id) => document.getElementById(id);
  const prefixes = config.prefixes;
  const byLength = Object.entries(prefixes).sort((a, b) => b[1].length - a[1].length);
  let saved = [];

  function compact(iri) {
    for (const [name, base] of byLength) {
      const rest = iri.slice(base.length);
      if (iri.startsWith(base) && /^[\p{L}\p{N}_.\/-]+$/u.test(rest)) return name + ':' + rest;
    }
    return '<' + iri + '>';
  }

  // Results: compact IRIs that open this server's page about the resource.
  class SeckgTable extends Yasgui.Yasr.plugins.table {
    getUriLinkFromBinding(binding) {
      const link = document.createElement('a');
      link.className = 'iri';
      link.href = config.resource + '?iri=' + encodeURIComponent(binding.value);
      link.title = binding.value;
      link.textContent = compact(binding.value);
      return link.outerHTML;
    }
  }
  Yasgui.Yasr.registerPlugin('table', SeckgTable);

  // Parse errors: the server's parser says "error at LINE:COLUMN"; show both and mark the line.
  function renderError(error) {
    const text = String((error && error.text) || '');
    const box = document.createElement('div');
    box.className = 'seckg-error';
    const where = /error at (\d+):(\d+)/.exec(text);
    if (where) {
      const head = document.createElement('p');
      head.className = 'seckg-error-position';
      head.textContent = 'Syntax error at line ' + where[1] + ', column ' + where[2];
      box.appendChild(head);
      const yasqe = yasgui.getTab().getYasqe();
      const line = Number(where[1]) - 1;
      if (yasqe && line < yasqe.lineCount()) {
        yasqe.addLineClass(line, 'background', 'seckg-error-line');
        const clear = () => {
          yasqe.removeLineClass(line, 'background', 'seckg-error-line');
          yasqe.off('change', clear);
        };
        yasqe.on('change', clear);
      }
    }
    const detail = document.createElement('pre');
    detail.textContent = text;
    box.appendChild(detail);
    return Promise.resolve(box);
  }
  Yasgui.Yasr.defaults.errorRenderers = [renderError];

  // Only local autocompletion: our prefixes, then variables. The class and property completers
  // (they ask a public vocabulary service) and the stock prefix list are not enabled.
  Yasgui.Yasqe.forkAutocompleter('prefixes', {
    name: 'seckgPrefixes',
    persistenceId: null,
    get: () => Object.entries(prefixes).map(([name, iri]) => name + ': <' + iri + '>'),
  });
  const completers = ['seckgPrefixes', 'variables'];
  Yasgui.Yasqe.defaults.autocompleters = completers.slice();

  // The server predeclares our prefixes, so the editor's syntax check knows them too.
  const sparqlMode = Yasgui.Yasqe.modes.sparql11;
  Yasgui.Yasqe.modes.sparql11 = function (...args) {
    const mode = sparqlMode.apply(this, args);
    const startState = mode.startState;
    mode.startState = function (...more) {
      const state = startState.apply(this, more);
      state.prefixes = Object.assign({}, prefixes);
      return state;
    };
    return mode;
  };

  function selectedQuery() {
    return saved.find((q) => q.name === $('saved').value);
  }

  function paramArgs() {
    const query = selectedQuery();
    if (!query) return [];
    const args = [];
    for (const param of query.params) {
      const value = $('param-' + param.name).value.trim();
      if (value) args.push({name: 'param', value: param.name + '=' + value});
    }
    return args;
  }

  // While a saved query is chosen, runs go to /queries/run with its parameters in the URL (the query
  // stays in the body): the server binds them, and applies declared defaults to empty fields.
  function endpoint() {
    if (!selectedQuery()) return location.origin + config.endpoint;
    const search = new URLSearchParams();
    for (const arg of paramArgs()) search.append(arg.name, arg.value);
    return location.origin + config.run + '?' + search.toString();
  }

  const yasgui = new Yasgui(document.getElementById('yasgui'), {
    requestConfig: {endpoint: endpoint, method: 'POST'},
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {getData: () => [{endpoint: location.origin + config.endpoint}]},
    yasqe: {value: config.defaultQuery, autocompleters: completers.slice()},
    yasr: {prefixes: prefixes},
  });
  window.seckgYasgui = yasgui;

  function showSaved() {
    const query = selectedQuery();
    const form = $('params');
    form.textContent = '';
    $('question').textContent = query ? query.question : '';
    $('run-saved').hidden = !query;
    if (!query) return;
    for (const param of query.params) {
      const label = document.createElement('label');
      label.textContent = param.name + ' (' + param.kind + ') ';
      const input = document.createElement('input');
      input.id = 'param-' + param.name;
      input.name = param.name;
      input.placeholder = param.default ? 'default: ' + param.default : '(any)';
      input.title = param.description || param.kind;
      label.appendChild(input);
      form.appendChild(label);
    }
    yasgui.getTab().getYasqe().setValue(query.text);
  }

  async function loadSaved() {
    const answer = await fetch('/queries');
    if (!answer.ok) return;
    saved = await answer.json();
    for (const query of saved) {
      const option = document.createElement('option');
      option.value = query.name;
      option.textContent = query.name;
      $('saved').appendChild(option);
    }
  }

  // Downloads: the server answers the editor's query (and parameters) again in the chosen format.
  async function download(kind) {
    const yasqe = yasgui.getTab().getYasqe();
    const graph = ['CONSTRUCT', 'DESCRIBE'].includes(yasqe.getQueryType());
    const accept = kind === 'csv' ? 'text/csv' : graph ? 'application/ld+json' : 'application/sparql-results+json';
    const body = new URLSearchParams({query: yasqe.getValue()});
    $('status').textContent = 'preparing the download…';
    const answer = await fetch(endpoint(), {method: 'POST', body: body, headers: {Accept: accept}});
    if (!answer.ok) {
      $('status').textContent = 'download failed: ' + (await answer.text());
      return;
    }
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await answer.blob());
    link.download = 'query-results.' + (kind === 'csv' ? 'csv' : graph ? 'jsonld' : 'json');
    document.body.appendChild(link);
    link.click();
    link.remove();
    $('status').textContent = '';
  }

  $('saved').addEventListener('change', showSaved);
  $('run-saved').addEventListener('click', () => yasgui.getTab().query());
  $('download-csv').addEventListener('click', () => download('csv'));
  $('download-json').addEventListener('click', () => download('json'));
  loadSaved().finally(() => document.body.setAttribute('data-ready', '1'));
})();

/* seckg viewer: filters, search, tooltip and details over a vis-network graph.
 * Every string that comes from a release is put into the page with textContent (or as an
 * <option>'s text), never as HTML; links are made only for http(s) URLs. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("seckg-data").textContent);
  data.edges = data.edges.map(function (e, i) { // packed as [from, to, relation] positions
    return { id: i, from: data.nodes[e[0]].id, to: data.nodes[e[1]].id, label: data.relations[e[2]] };
  });
  var container = document.getElementById("seckg-network");
  var tooltip = document.getElementById("seckg-tooltip");
  var details = document.getElementById("seckg-details");
  var byId = new Map();
  var adj = new Map();
  var agreements = [];
  var members = {};
  data.nodes.forEach(function (n) {
    byId.set(n.id, n);
    adj.set(n.id, []);
    if (n.d.t === "agreement") agreements.push(n);
  });
  var links = new Map(); // links other than to reports: a node with none is unconnected
  data.edges.forEach(function (e) {
    adj.get(e.from).push(e.to);
    if (e.label !== "report") {
      links.set(e.from, (links.get(e.from) || 0) + 1);
      links.set(e.to, (links.get(e.to) || 0) + 1);
    }
    adj.get(e.to).push(e.from);
    if (e.label === "member of") (members[e.from] = members[e.from] || []).push(e.to);
  });

  var visible = null; // null: every node
  var hits = new Set(); // nodes the search matched
  var reportsBox = document.getElementById("seckg-show-reports");
  var lonersBox = document.getElementById("seckg-show-unconnected");
  var hiddenTypes = new Set(); // node types switched off in the legend
  var opened = new Set(); // aggregated groups the reader opened
  var selected = null;
  var limit = data.limit || 2500;
  function degree(id) { return links.get(id) || 0; }
  function shown(id) {
    var n = byId.get(id);
    if (n.d.t === "report" && !reportsBox.checked) return false;
    if (hiddenTypes.has(n.d.t)) return false;
    if (n.d.t !== "report" && !degree(id) && !lonersBox.checked) return false;
    return visible === null || visible.has(id);
  }
  var nodes = new vis.DataSet();
  var edges = new vis.DataSet();
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function safeUrl(value) {
    try {
      var url = new URL(String(value));
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (err) {
      return null;
    }
  }
  /* A link to an http(s) URL (opened apart, no referrer), else the text alone. */
  function linkOrText(text, url) {
    var href = url ? safeUrl(url) : null;
    if (!href) return el("span", null, text);
    var link = el("a", null, text);
    link.href = href;
    link.rel = "noopener noreferrer";
    link.target = "_blank";
    return link;
  }
  function row(box, key, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) return;
    var line = el("div", "seckg-row");
    line.appendChild(el("span", "seckg-key", key + ": "));
    line.appendChild(el("span", null, Array.isArray(value) ? value.join(", ") : value));
    box.appendChild(line);
  }
  function describe(n) {
    var d = n.d;
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "seckg-title", d.label));
    box.appendChild(el("div", "seckg-kind", d.kind));
    if (d.t === "report") {
      var r = d.report;
      row(box, "Event", r.event);
      row(box, "Release", (r.title || r.id) + (r.date ? " (" + r.date + ")" : ""));
      row(box, "Named", r.name);
      row(box, "Type", r.type);
      row(box, "Place", r.place);
    } else if (d.t === "agreement") {
      row(box, "Type", d.type_label);
      row(box, "Status", d.status);
      row(box, d.date_basis === "signed" ? "Signed" : "Date", d.date || (d.year ? String(d.year) : null));
      row(box, "Parties", d.parties);
      row(box, "Signatories", d.signatories);
      row(box, d.focus_basis === "release" ? "Focus areas (of its release)" : "Focus areas", d.focus);
      if (d.release) {
        var src = el("div", "seckg-row");
        src.appendChild(el("span", "seckg-key", "Source: "));
        var text = (d.release.title || d.release.id || "release") + (d.release.date ? " (" + d.release.date + ")" : "");
        src.appendChild(linkOrText(text, d.release.url));
        box.appendChild(src);
        row(box, "Publisher", d.release.publisher);
      }
      if ((d.reports || []).length) {
        box.appendChild(el("div", "seckg-key", "Reported by " + d.reports.length + " release(s):"));
        var list = el("ol", "seckg-reports");
        d.reports.forEach(function (r) {
          var item = el("li", null);
          item.appendChild(el("span", null, (r.date || "undated") + ", " + (r.event || "signed") + ": "));
          item.appendChild(linkOrText(r.title || r.id || "release", r.url));
          list.appendChild(item);
        });
        box.appendChild(list);
      }
      if ((d.commitments || []).length) {
        box.appendChild(el("div", "seckg-key", "Commits the parties to:"));
        var commits = el("ul", "seckg-commitments");
        d.commitments.forEach(function (c) {
          commits.appendChild(el("li", null, c.text + (c.focus.length ? " [" + c.focus.join(", ") + "]" : "")));
        });
        box.appendChild(commits);
      }
      if (d.possibly_same) row(box, "Possibly the same as", d.possibly_same + " other instrument(s)");
      (d.evidence || []).forEach(function (sentence) {
        box.appendChild(el("blockquote", "seckg-evidence", sentence));
      });
    } else {
      row(box, "Code", d.code);
      row(box, "Title", d.title);
      row(box, "Organization", d.organization);
      row(box, "Country", d.country);
      row(box, "Instruments", d.agreements);
      row(box, "Reported", d.first === d.last ? d.first : d.first + " to " + d.last);
    }
    return box;
  }
  function show(target, n) {
    target.textContent = "";
    target.appendChild(describe(n));
  }

  function select(id) {
    selected = id && byId.has(id) ? id : null;
    if (selected) show(details, byId.get(selected));
  }
  function groupNote(key) {
    var info = (data.groups || {})[key] || { label: key };
    var box = document.createDocumentFragment();
    box.appendChild(el("div", "seckg-title", info.label));
    box.appendChild(el("div", "seckg-kind", (drawn.counts[key] || 0) + " nodes shown, grouped: click to open"));
    return box;
  }

  network.on("hoverNode", function (params) {
    var key = SeckgGroups.keyOf(params.node);
    var n = byId.get(params.node);
    if (key === null && !n) return;
    tooltip.textContent = "";
    tooltip.appendChild(key === null ? describe(n) : groupNote(key));
    var x = params.pointer.DOM.x + container.offsetLeft + 14;
    var y = params.pointer.DOM.y + container.offsetTop + 14;
    tooltip.style.left = Math.min(x, window.innerWidth - 400) + "px";
    tooltip.style.top = Math.min(y, window.innerHeight - 60) + "px";
    tooltip.hidden = false;
    if (n) show(details, n);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });
  network.on("click", function (params) {
    if (!params.nodes.length) return;
    var key = SeckgGroups.keyOf(params.nodes[0]);
    if (key !== null) {
      opened.add(key);
      apply();
      return;
    }
    select(params.nodes[0]);
    ranking = rank();
    saveState();
    network.redraw();
  });

  var controls = {
    focus: document.getElementById("seckg-focus"),
    country: document.getElementById("seckg-country"),
    type: document.getElementById("seckg-type"),
    from: document.getElementById("seckg-year-from"),
    to: document.getElementById("seckg-year-to"),
    search: document.getElementById("seckg-search")
  };
  [["focus", data.filters.focus], ["country", data.filters.country], ["type", data.filters.type]].forEach(
    function (pair) {
      pair[1].forEach(function (item) { controls[pair[0]].add(new Option(item.label, item.value)); });
    }
  );
  var span = data.filters.years;
  [controls.from, controls.to].forEach(function (input) {
    if (span.length) { input.min = span[0]; input.max = span[1]; }
  });
  function resetYears() {
    controls.from.value = span.length ? span[0] : "";
    controls.to.value = span.length ? span[1] : "";
  }
  resetYears();

  function matches(a, f) {
    var d = a.d;
    if (f.focus && d.topics.indexOf(f.focus) < 0) return false;
    if (f.country && d.party_codes.indexOf(f.country) < 0) return false;
    if (f.type && d.type !== f.type) return false;
    if (f.years) {
      if (d.year === null || d.year === undefined || d.year < f.years[0] || d.year > f.years[1]) return false;
    }
    return true;
  }
  function yearRange() {
    var from = parseInt(controls.from.value, 10), to = parseInt(controls.to.value, 10);
    if (span.length && ((!isNaN(from) && from > span[0]) || (!isNaN(to) && to < span[1]))) {
      return [isNaN(from) ? span[0] : from, isNaN(to) ? span[1] : to];
    }
    return null;
  }
  /* The same rule as graph.analysis.select.filter_typed. */
  function compute() {
    var f = {
      focus: controls.focus.value, country: controls.country.value, type: controls.type.value, years: yearRange()
    };
    var keep = null;
    if (f.focus || f.country || f.type || f.years) {
      keep = new Set();
      agreements.forEach(function (a) {
        if (!matches(a, f)) return;
        keep.add(a.id);
        adj.get(a.id).forEach(function (nb) {
          keep.add(nb);
          if (byId.get(nb).d.t === "person") {
            (members[nb] || []).forEach(function (unit) { keep.add(unit); });
          }
        });
      });
    }
    hits = new Set();
    var q = controls.search.value.trim().toLowerCase();
    if (q) {
      var found = new Set();
      data.nodes.forEach(function (n) {
        if (n.d.search.indexOf(q) >= 0) {
          hits.add(n.id);
          found.add(n.id);
          adj.get(n.id).forEach(function (nb) { found.add(nb); });
        }
      });
      if (keep === null) {
        keep = found;
      } else {
        var both = new Set();
        found.forEach(function (id) { if (keep.has(id)) both.add(id); });
        keep = both;
      }
    }
    return keep;
  }

  /* Labels: the drawn nodes, most important first (search hits and the selected node, then the
   * best-connected), each with its label cut to 32 characters and its short form. */
  var drawn = { nodes: [], aggregated: false, counts: {} };
  var visibleIds = [];
  var ranking = [];
  var placed = [];
  var placedKey = null;
  function rank() {
    var items = drawn.nodes.map(function (item) {
      var key = SeckgGroups.keyOf(item.id);
      if (key !== null) {
        var label = ((data.groups || {})[key] || { label: key }).label;
        var count = drawn.counts[key] || 0;
        return { id: item.id, size: item.size, tier: 1, weight: count,
                 texts: [SeckgLabels.cut(label, 28) + " (" + count.toLocaleString("en") + ")", SeckgLabels.cut(label, 14)] };
      }
      var n = byId.get(item.id);
      var full = SeckgLabels.cut(n.label, 32);
      return { id: n.id, size: item.size, tier: item.id === selected ? 0 : hits.has(item.id) ? 1 : 2,
               weight: degree(n.id), texts: n.s && n.s !== full ? [full, n.s] : [full] };
    });
    items.sort(function (a, b) {
      return a.tier - b.tier || b.weight - a.weight || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    placedKey = null;
    return items;
  }
  network.on("afterDrawing", function (ctx) {
    var scale = network.getScale();
    var origin = network.canvasToDOM({ x: 0, y: 0 });
    var w = container.clientWidth, h = container.clientHeight;
    var key = [scale, origin.x, origin.y, w, h].join(",");
    if (key !== placedKey) {
      var pos = network.getPositions(ranking.map(function (r) { return r.id; }));
      placed = SeckgLabels.place(ranking.map(function (r) {
        var p = pos[r.id];
        return { id: r.id, x: p.x * scale + origin.x, y: p.y * scale + origin.y, r: r.size * scale, texts: r.texts };
      }), w, h);
      placedKey = key;
    }
    var m = ctx.getTransform();
    SeckgLabels.draw(ctx, placed, scale ? m.a / scale : 1);
  });

  var counter = document.getElementById("seckg-count");
  function apply() {
    visible = compute();
    var ids = [], total = 0;
    data.nodes.forEach(function (n) {
      if (n.d.t !== "report" || reportsBox.checked) total += 1;
      if (shown(n.id)) ids.push(n.id);
    });
    visibleIds = ids;
    drawn = SeckgGroups.build(ids, byId, data.edges, data.groups, opened, limit);
    nodes.clear();
    edges.clear();
    nodes.add(drawn.nodes);
    edges.add(drawn.edges);
    ranking = rank();
    counter.textContent = ids.length + " of " + total + " nodes shown" +
      (drawn.aggregated ? ", in groups: click a group to open it, or search" : "");
    document.body.dataset.visible = String(ids.length);
    if (ids.length) network.fit({ animation: false }); // the view follows what the filters leave
    network.redraw();
    saveState();
  }

  /* The view's state in the URL's fragment (see viewer_state.js). */
  var legendItems = Array.prototype.slice.call(document.querySelectorAll("#seckg-legend li[data-type]"));
  var legendTypes = new Set(legendItems.map(function (item) { return item.dataset.type; }));
  function showLegend() {
    legendItems.forEach(function (item) {
      var off = hiddenTypes.has(item.dataset.type);
      item.setAttribute("aria-pressed", String(!off));
      item.classList.toggle("seckg-off", off);
    });
  }
  function list(value, known) {
    return (value || "").split(",").filter(function (v) { return v && known(v); });
  }
  function saveState() {
    var years = yearRange();
    SeckgState.write({
      q: controls.search.value.trim(), focus: controls.focus.value, country: controls.country.value,
      type: controls.type.value, from: years ? years[0] : "", to: years ? years[1] : "",
      hide: Array.from(hiddenTypes).sort().join(","), reports: reportsBox.checked ? 1 : "",
      unconnected: lonersBox.checked ? 1 : "", open: Array.from(opened).sort().join(","), node: selected || ""
    });
  }
  function loadState(s) {
    controls.search.value = s.q || "";
    ["focus", "country", "type"].forEach(function (key) {
      controls[key].value = s[key] || "";
      if (controls[key].value !== (s[key] || "")) controls[key].value = "";
    });
    resetYears();
    if (/^\d{1,4}$/.test(s.from || "")) controls.from.value = s.from;
    if (/^\d{1,4}$/.test(s.to || "")) controls.to.value = s.to;
    hiddenTypes = new Set(list(s.hide, function (t) { return legendTypes.has(t); }));
    showLegend();
    reportsBox.checked = s.reports === "1";
    lonersBox.checked = s.unconnected === "1";
    opened = new Set(list(s.open, function (k) { return Object.prototype.hasOwnProperty.call(data.groups || {}, k); }));
    details.textContent = "";
    select(s.node);
  }

  ["focus", "country", "type", "from", "to"].forEach(function (key) {
    controls[key].addEventListener("change", apply);
  });
  controls.search.addEventListener("input", apply);
  reportsBox.addEventListener("change", apply);
  lonersBox.addEventListener("change", apply);
  /* The legend is clickable: an item hides or shows its node type. */
  legendItems.forEach(function (item) {
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    function toggle() {
      var type = item.dataset.type;
      if (hiddenTypes.has(type)) hiddenTypes.delete(type); else hiddenTypes.add(type);
      showLegend();
      apply();
    }
    item.addEventListener("click", toggle);
    item.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") toggle(); });
  });
  document.getElementById("seckg-filters").addEventListener("reset", function () {
    window.setTimeout(function () { resetYears(); opened = new Set(); apply(); }, 0);
  });
  document.getElementById("seckg-filters").addEventListener("submit", function (ev) { ev.preventDefault(); });

  /* Export what is shown: the picture, and the shown nodes and the edges between them. */
  document.getElementById("seckg-export-png").addEventListener("click", function () {
    SeckgExport.savePng(container.querySelector("canvas"), "seckg-view.png");
  });
  document.getElementById("seckg-export-nodes").addEventListener("click", function () {
    var rows = [["id", "label", "type", "code", "country", "links"]];
    visibleIds.forEach(function (id) {
      var n = byId.get(id);
      rows.push([id, n.label, n.d.t, n.d.code, n.d.country, degree(id)]);
    });
    SeckgExport.saveCsv(rows, "seckg-nodes.csv");
  });
  document.getElementById("seckg-export-edges").addEventListener("click", function () {
    var keep = new Set(visibleIds);
    var rows = [["from", "to", "relation"]];
    data.edges.forEach(function (e) { if (keep.has(e.from) && keep.has(e.to)) rows.push([e.from, e.to, e.label]); });
    SeckgExport.saveCsv(rows, "seckg-edges.csv");
  });

  loadState(SeckgState.read());
  SeckgState.onChange(function (state) { loadState(state); apply(); });
  network.once("afterDrawing", function () { document.body.dataset.ready = "1"; });
  apply();
  window.seckgViewer = {
    network: network, nodes: nodes, edges: edges, apply: apply,
    /* The labels drawn last, as screen rectangles in CSS pixels from the canvas's top left. */
    drawnLabels: function () {
      return placed.map(function (l) { return { id: l.id, text: l.text, x: l.x, y: l.y, w: l.w, h: l.h }; });
    },
    /* The ids of the nodes the filters, the legend and the toggles leave shown (grouped or not). */
    visibleIds: function () { return visibleIds.slice(); },
    /* How many nodes the page holds (and searches), shown or not. */
    nodeCount: function () { return data.nodes.length; },
    selected: function () { return selected; }
  };
})();

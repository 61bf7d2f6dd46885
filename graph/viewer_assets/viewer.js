/* seckg viewer: filters, search, tooltip and details over a vis-network graph.
 * Every string that comes from a release is put into the page with textContent (or as an
 * <option>'s text), never as HTML; links are made only for http(s) URLs. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("seckg-data").textContent);
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
  data.edges.forEach(function (e) {
    adj.get(e.from).push(e.to);
    adj.get(e.to).push(e.from);
    if (e.label === "member of") (members[e.from] = members[e.from] || []).push(e.to);
  });

  var visible = null; // null: every node
  var reportsBox = document.getElementById("seckg-show-reports");
  var hiddenTypes = new Set(); // node types switched off in the legend
  function shown(id) {
    var n = byId.get(id);
    if (n.d.t === "report" && !reportsBox.checked) return false;
    if (hiddenTypes.has(n.d.t)) return false;
    return visible === null || visible.has(id);
  }
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var nodesView = new vis.DataView(nodes, {
    filter: function (n) { return shown(n.id); }
  });
  var edgesView = new vis.DataView(edges, {
    filter: function (e) { return shown(e.from) && shown(e.to); }
  });
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);

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

  network.on("hoverNode", function (params) {
    var n = byId.get(params.node);
    if (!n) return;
    show(tooltip, n);
    var x = params.pointer.DOM.x + container.offsetLeft + 14;
    var y = params.pointer.DOM.y + container.offsetTop + 14;
    tooltip.style.left = Math.min(x, window.innerWidth - 400) + "px";
    tooltip.style.top = Math.min(y, window.innerHeight - 60) + "px";
    tooltip.hidden = false;
    show(details, n);
  });
  network.on("blurNode", function () { tooltip.hidden = true; });
  network.on("dragStart", function () { tooltip.hidden = true; });
  network.on("click", function (params) {
    if (params.nodes.length) show(details, byId.get(params.nodes[0]));
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
  /* The same rule as graph.analysis.select.filter_typed. */
  function compute() {
    var f = {
      focus: controls.focus.value, country: controls.country.value, type: controls.type.value, years: null
    };
    var from = parseInt(controls.from.value, 10), to = parseInt(controls.to.value, 10);
    if (span.length && ((!isNaN(from) && from > span[0]) || (!isNaN(to) && to < span[1]))) {
      f.years = [isNaN(from) ? span[0] : from, isNaN(to) ? span[1] : to];
    }
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
    var q = controls.search.value.trim().toLowerCase();
    if (q) {
      var found = new Set();
      data.nodes.forEach(function (n) {
        if (n.d.search.indexOf(q) >= 0) {
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
  var counter = document.getElementById("seckg-count");
  function apply() {
    visible = compute();
    nodesView.refresh();
    edgesView.refresh();
    var count = 0, total = 0;
    data.nodes.forEach(function (n) {
      if (n.d.t !== "report" || reportsBox.checked) total += 1;
      if (shown(n.id)) count += 1;
    });
    counter.textContent = count + " of " + total + " nodes shown";
    document.body.dataset.visible = String(count);
    if (count) network.fit({ animation: false }); // the view follows what the filters leave
  }
  ["focus", "country", "type", "from", "to"].forEach(function (key) {
    controls[key].addEventListener("change", apply);
  });
  controls.search.addEventListener("input", apply);
  reportsBox.addEventListener("change", apply);
  /* The legend is clickable: an item hides or shows its node type. */
  document.querySelectorAll("#seckg-legend li[data-type]").forEach(function (item) {
    item.tabIndex = 0;
    item.setAttribute("role", "button");
    item.setAttribute("aria-pressed", "true");
    function toggle() {
      var type = item.dataset.type;
      if (hiddenTypes.has(type)) hiddenTypes.delete(type); else hiddenTypes.add(type);
      item.setAttribute("aria-pressed", String(!hiddenTypes.has(type)));
      item.classList.toggle("seckg-off", hiddenTypes.has(type));
      apply();
    }
    item.addEventListener("click", toggle);
    item.addEventListener("keydown", function (ev) { if (ev.key === "Enter" || ev.key === " ") toggle(); });
  });
  document.getElementById("seckg-filters").addEventListener("reset", function () {
    window.setTimeout(function () { resetYears(); apply(); }, 0);
  });
  document.getElementById("seckg-filters").addEventListener("submit", function (ev) { ev.preventDefault(); });

  network.once("afterDrawing", function () { document.body.dataset.ready = "1"; });
  apply();
  network.fit({ animation: false });
  window.seckgViewer = { network: network, nodes: nodes, edges: edges, nodesView: nodesView, apply: apply };
})();

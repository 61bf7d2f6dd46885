/* seckg viewer: what vis-network draws. Up to `limit` shown nodes are drawn one by one; above
 * that, each group (a country and what belongs to it, the focus areas, the rest) is drawn as one
 * aggregated node carrying its count, except the groups the reader opened, whose members are
 * drawn one by one. Edges between drawn items are counted once per pair. All nodes stay in the
 * page's data (searchable, filterable); only the drawing is aggregated. */
var SeckgGroups = (function () {
  "use strict";
  var PREFIX = "group:";

  function groupId(key) { return PREFIX + key; }
  function keyOf(id) { return String(id).indexOf(PREFIX) === 0 ? String(id).slice(PREFIX.length) : null; }

  function visItem(n) {
    return { id: n.id, x: n.x, y: n.y, shape: n.shape, color: n.color, size: n.size };
  }

  /* ids: the shown node ids (sorted as the data); byId: id -> node; edges: the data's edges;
   * groups: key -> {label, x, y}; opened: Set of opened group keys; limit: the most nodes drawn
   * one by one. Returns {nodes, edges, aggregated, counts}. */
  function build(ids, byId, edges, groups, opened, limit) {
    var shown = new Set(ids);
    if (ids.length <= limit || !groups) {
      var items = ids.map(function (id) { return visItem(byId.get(id)); });
      var links = [];
      edges.forEach(function (e) {
        if (shown.has(e.from) && shown.has(e.to)) links.push({ id: e.id, from: e.from, to: e.to });
      });
      return { nodes: items, edges: links, aggregated: false, counts: {} };
    }
    var counts = {};
    ids.forEach(function (id) {
      var g = byId.get(id).g;
      counts[g] = (counts[g] || 0) + 1;
    });
    var drawnAs = new Map();
    var nodes = [];
    var single = 0, open = new Set();
    Object.keys(counts).sort().forEach(function (g) {
      if (opened.has(g) && single + counts[g] <= limit) {
        single += counts[g];
        open.add(g);
      } else {
        var info = groups[g] || { label: g, x: 0, y: 0 };
        nodes.push({
          id: groupId(g), x: info.x, y: info.y, shape: "dot", color: "#76b7b2",
          size: Math.min(12 + 3 * Math.sqrt(counts[g]), 70), borderWidth: 2
        });
      }
    });
    ids.forEach(function (id) {
      var n = byId.get(id);
      var drawn = open.has(n.g) ? id : groupId(n.g);
      drawnAs.set(id, drawn);
      if (drawn === id) nodes.push(visItem(n));
    });
    var pairs = new Map();
    edges.forEach(function (e) {
      var a = drawnAs.get(e.from), b = drawnAs.get(e.to);
      if (a === undefined || b === undefined || a === b) return;
      var key = a < b ? a + "\u0000" + b : b + "\u0000" + a;
      var p = pairs.get(key);
      if (p) p.value += 1; else pairs.set(key, { from: a < b ? a : b, to: a < b ? b : a, value: 1 });
    });
    var links = [];
    var k = 0;
    pairs.forEach(function (p) {
      links.push({ id: "agg-" + k++, from: p.from, to: p.to, value: p.value });
    });
    return { nodes: nodes, edges: links, aggregated: true, counts: counts };
  }

  return { build: build, groupId: groupId, keyOf: keyOf };
})();

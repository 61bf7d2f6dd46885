/* seckg viewer: node labels placed by the page, not by vis-network.
 * At any zoom, labels are placed in order of importance (the caller's order: the selected node
 * and search hits first, then the best-connected nodes), at one of eight places around their node
 * (right, left, below, above, the corners), and kept only where they lie inside the canvas and
 * cover neither a label already kept nor the middle of another node drawn large enough to matter
 * (NODE_MIN): first every node gets its short form where it fits, then each label grows to its
 * full form where that fits. Labels keep one screen size (FONT_PX), so zooming in leaves room for
 * more of them. A uniform grid of buckets makes the overlap test cost the same whatever the
 * number of labels. */
var SeckgLabels = (function () {
  "use strict";
  var FONT_PX = 11;
  var BOX_H = 13; // the label's box: the font's size and a pixel above and below
  var PAD = 2;
  var NODE_CORE = 0.6; // the share of a node's radius that no other node's label may cover
  var NODE_MIN = 8; // nodes drawn smaller than this radius (in pixels) may be covered
  var FONT = FONT_PX + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  var measureCtx = document.createElement("canvas").getContext("2d");
  measureCtx.font = FONT;
  var widths = new Map();

  function width(text) {
    var w = widths.get(text);
    if (w === undefined) {
      w = Math.ceil(measureCtx.measureText(text).width) + 2 * PAD;
      widths.set(text, w);
    }
    return w;
  }

  function Grid(cell) {
    this.cell = cell;
    this.buckets = new Map();
  }
  Grid.prototype.keys = function (r, fn) {
    var c = this.cell;
    for (var i = Math.floor(r.x / c); i <= Math.floor((r.x + r.w) / c); i++) {
      for (var j = Math.floor(r.y / c); j <= Math.floor((r.y + r.h) / c); j++) {
        if (fn(i + ":" + j) === false) return false;
      }
    }
    return true;
  };
  Grid.prototype.free = function (r) {
    var buckets = this.buckets;
    return this.keys(r, function (key) {
      var list = buckets.get(key);
      if (!list) return true;
      for (var k = 0; k < list.length; k++) {
        var o = list[k];
        if (o.id === r.id && o.node) continue; // a label may touch its own node
        if (r.x < o.x + o.w && o.x < r.x + r.w && r.y < o.y + o.h && o.y < r.y + r.h) return false;
      }
      return true;
    });
  };
  Grid.prototype.add = function (r) {
    var buckets = this.buckets;
    this.keys(r, function (key) {
      var list = buckets.get(key);
      if (list) list.push(r); else buckets.set(key, [r]);
    });
  };

  Grid.prototype.remove = function (r) {
    var buckets = this.buckets;
    this.keys(r, function (key) {
      var list = buckets.get(key);
      if (list) list.splice(list.indexOf(r), 1);
    });
  };

  /* The first free spot for text beside node it (right, left, below, above, then the four
   * corners), or null. */
  function spot(grid, it, text, widthPx, heightPx) {
    var w = width(text), h = BOX_H, gap = it.r + 2;
    var d = gap * 0.7;
    var spots = [
      [it.x + gap, it.y - h / 2], [it.x - gap - w, it.y - h / 2],
      [it.x - w / 2, it.y + gap], [it.x - w / 2, it.y - gap - h],
      [it.x + d, it.y - d - h], [it.x + d, it.y + d],
      [it.x - d - w, it.y - d - h], [it.x - d - w, it.y + d]
    ];
    for (var s = 0; s < spots.length; s++) {
      var r = { id: it.id, text: text, x: Math.round(spots[s][0]), y: Math.round(spots[s][1]), w: w, h: h };
      if (r.x < 0 || r.y < 0 || r.x + w > widthPx || r.y + h > heightPx) continue;
      if (grid.free(r)) return r;
    }
    return null;
  }

  /* items: [{id, x, y, r, texts}] in screen pixels (x, y the node's centre, r its radius), most
   * important first, texts the full label then shorter forms; widthPx, heightPx: the canvas.
   * First every node, in order, gets the shortest form that fits; then, in the same order, each
   * label grows to the longest form that fits. Returns the kept labels [{id, text, x, y, w, h}]. */
  function place(items, widthPx, heightPx) {
    var grid = new Grid(64);
    var kept = [];
    items.forEach(function (it) { // the middle of every large node is kept clear of others' labels
      var core = it.r * NODE_CORE;
      if (it.r < NODE_MIN) return;
      grid.add({ id: it.id, node: true, x: it.x - core, y: it.y - core, w: 2 * core, h: 2 * core });
    });
    items.forEach(function (it) {
      if (it.x < -it.r || it.y < -it.r || it.x > widthPx + it.r || it.y > heightPx + it.r) return;
      var texts = it.texts.filter(Boolean);
      for (var t = texts.length - 1; t >= 0; t--) {
        var r = spot(grid, it, texts[t], widthPx, heightPx);
        if (r) {
          grid.add(r);
          kept.push({ rect: r, texts: texts, item: it });
          return;
        }
      }
    });
    kept.forEach(function (k) {
      var current = k.texts.indexOf(k.rect.text);
      if (current <= 0) return;
      grid.remove(k.rect);
      for (var t = 0; t < current; t++) {
        var r = spot(grid, k.item, k.texts[t], widthPx, heightPx);
        if (r) {
          k.rect = r;
          break;
        }
      }
      grid.add(k.rect);
    });
    return kept.map(function (k) { return k.rect; });
  }

  /* Draw the kept labels on vis-network's canvas context, in screen pixels. */
  function draw(ctx, labels, pixelRatio) {
    ctx.save();
    ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
    ctx.font = FONT;
    ctx.textBaseline = "middle";
    ctx.textAlign = "left";
    ctx.lineJoin = "round";
    ctx.lineWidth = 3;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
    ctx.fillStyle = "#1f2328";
    labels.forEach(function (l) {
      ctx.strokeText(l.text, l.x + PAD, l.y + l.h / 2);
      ctx.fillText(l.text, l.x + PAD, l.y + l.h / 2);
    });
    ctx.restore();
  }

  /* A label's text cut to at most max characters (an ellipsis marks the cut). */
  function cut(text, max) {
    text = String(text || "");
    return text.length <= max ? text : text.slice(0, max - 1).trimEnd() + "\u2026";
  }

  return { place: place, draw: draw, cut: cut, FONT_PX: FONT_PX };
})();

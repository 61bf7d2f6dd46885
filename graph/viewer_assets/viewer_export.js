/* seckg viewer: download what is shown, as a PNG picture or as CSV tables of nodes and edges.
 * CSV cells are quoted, and a cell that a spreadsheet would read as a formula (=, +, -, @, tab,
 * carriage return first) gets a leading apostrophe: release text is untrusted. */
var SeckgExport = (function () {
  "use strict";

  function save(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  function cell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
    return '"' + text.replace(/"/g, '""') + '"';
  }

  /* rows: arrays of values; the first row is the header. */
  function csv(rows) {
    return rows.map(function (row) { return row.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  function saveCsv(rows, name) {
    save(new Blob([csv(rows)], { type: "text/csv;charset=utf-8" }), name);
  }

  /* The network's canvas (labels included) on a white ground, as a PNG file. */
  function savePng(canvas, name) {
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    out.toBlob(function (blob) { save(blob, name); }, "image/png");
  }

  return { csv: csv, saveCsv: saveCsv, savePng: savePng };
})();

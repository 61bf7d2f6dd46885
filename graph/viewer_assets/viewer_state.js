/* seckg viewer: the view's state (filters, search, selection, hidden types, toggles, opened groups)
 * in the URL's fragment, so that a view can be shared and reopened. The fragment is read with
 * URLSearchParams and every value is checked by the caller against what the page knows. */
var SeckgState = (function () {
  "use strict";
  var last = null;

  /* The state written in the current fragment, as {key: string}; lists are comma-separated. */
  function read() {
    var out = {};
    var hash = window.location.hash.replace(/^#/, "");
    new URLSearchParams(hash).forEach(function (value, key) { out[key] = value; });
    return out;
  }

  /* Replace the fragment with state (empty values left out), without a new history entry. */
  function write(state) {
    var params = new URLSearchParams();
    Object.keys(state).sort().forEach(function (key) {
      var value = state[key];
      if (value !== "" && value !== null && value !== undefined && value !== false) params.set(key, String(value));
    });
    var hash = params.toString();
    last = hash;
    if (window.location.hash.replace(/^#/, "") === hash) return;
    try {
      window.history.replaceState(null, "", hash ? "#" + hash : window.location.pathname + window.location.search);
    } catch (err) {
      // a sandboxed frame (a notebook's srcdoc) may refuse: the view still works, unshared
    }
  }

  /* Call fn when someone else (the address bar, a link) changes the fragment. */
  function onChange(fn) {
    window.addEventListener("hashchange", function () {
      if (window.location.hash.replace(/^#/, "") !== last) fn(read());
    });
  }

  return { read: read, write: write, onChange: onChange };
})();

// Optional improvements; every page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // The error summary takes the focus so that screen readers read it first.
  var s = document.getElementById("error-summary");
  if (s) { s.focus(); }
  liveSearch();
});

// liveSearch updates the Kita list as the parent types or picks a filter:
// it asks the server for the same results fragment the page shows
// (data-live names its address) and puts it in place; the number found is
// announced. Without this script the search button loads the whole page.
function liveSearch() {
  var form = document.querySelector("form[data-live]");
  var out = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !out || !window.fetch || !window.URLSearchParams) { return; }
  var timer = 0, latest = 0;
  function update() {
    var query = new URLSearchParams(new FormData(form)).toString();
    var n = ++latest;
    fetch(form.getAttribute("data-live") + "?" + query, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(new Error("status " + r.status)); })
      .then(function (html) {
        if (n !== latest) { return; } // an answer overtaken by a newer one
        out.innerHTML = html;
        out.setAttribute("data-updated", String(n));
        var h = document.getElementById("results");
        if (status && h) { status.textContent = h.textContent; }
        if (window.history && history.replaceState) { history.replaceState(null, "", form.getAttribute("action") + "?" + query); }
      })
      .catch(function () { /* the button still works */ });
  }
  function later() { clearTimeout(timer); timer = setTimeout(update, 250); }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
}

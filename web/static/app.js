// Optional improvement; every page works without it. Moves the keyboard
// focus to the error summary so that screen readers read it first.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var s = document.getElementById("error-summary");
  if (s) { s.focus(); }
});

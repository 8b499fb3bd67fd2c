// Focus the error summary after a failed submit (full page load or htmx swap).
(function () {
  "use strict";
  function fokussiere(wurzel) {
    var ziel = wurzel.querySelector("[data-fokus]");
    if (ziel) { ziel.focus(); }
  }
  document.addEventListener("DOMContentLoaded", function () { fokussiere(document); });
  document.addEventListener("htmx:afterSwap", function (ereignis) { fokussiere(ereignis.detail.target); });
})();

// Focus handling for forms (full page loads and htmx swaps); no inline script anywhere (CSP).
(function () {
  "use strict";

  function fokussiere(wurzel) {
    if (!wurzel.querySelector) { return; }
    var ziel = wurzel.matches && wurzel.matches("[data-fokus]") ? wurzel : wurzel.querySelector("[data-fokus]");
    if (ziel) { ziel.focus(); }
  }

  // "Meine Meldungen": after a saved item, open the next open item and put the focus on it.
  function weiterZumNaechsten(posten) {
    var naechster = posten.nextElementSibling;
    while (naechster && naechster.classList.contains("meldeposten--erledigt")) {
      naechster = naechster.nextElementSibling;
    }
    if (!naechster) {
      var meldung = posten.querySelector("[role=status]");
      if (meldung) { meldung.focus(); }
      return;
    }
    var details = naechster.querySelector("details");
    var feld = naechster.querySelector("input:not([type=hidden]), select, textarea");
    if (!feld) { naechster.setAttribute("data-fokus-nach-laden", ""); }
    if (details) { details.open = true; }
    (feld || naechster.querySelector("summary")).focus();
  }

  // A form loaded into an item that was opened by "weiterZumNaechsten" takes the focus on its first field.
  function fokusNachLaden(element) {
    var posten = element.closest ? element.closest("[data-fokus-nach-laden]") : null;
    if (!posten) { return false; }
    posten.removeAttribute("data-fokus-nach-laden");
    var feld = posten.querySelector("input:not([type=hidden]), select, textarea");
    if (feld) { feld.focus(); }
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () { fokussiere(document); });
  // Error messages of htmx requests go into #htmx-fehler (base.html). A new submission makes an earlier one
  // obsolete. Reading requests (the status poll of a Meldebogen import) leave it standing, and a failing poll
  // reports once instead of taking the focus every two seconds.
  function istLesend(ereignis) {
    var anfrage = ereignis.detail.requestConfig;
    return Boolean(anfrage && anfrage.verb === "get");
  }
  document.addEventListener("htmx:beforeRequest", function (ereignis) {
    var fehler = document.getElementById("htmx-fehler");
    if (fehler && !istLesend(ereignis)) { fehler.innerHTML = ""; }
  });
  document.addEventListener("htmx:beforeSwap", function (ereignis) {
    var fehler = document.getElementById("htmx-fehler");
    if (ereignis.detail.isError && istLesend(ereignis) && fehler && fehler.children.length) {
      ereignis.detail.shouldSwap = false;
    }
  });
  document.addEventListener("htmx:load", function (ereignis) {
    var element = ereignis.detail.elt;
    if (element.hasAttribute && element.hasAttribute("data-erfolg")) {
      weiterZumNaechsten(element);
    } else if (!fokusNachLaden(element)) {
      fokussiere(element);
    }
  });
})();

// Focus handling for forms (full page loads and htmx swaps); no inline script anywhere (CSP).
(function () {
  "use strict";

  function fokussiere(wurzel) {
    if (!wurzel.querySelector) { return; }
    var ziel = wurzel.matches && wurzel.matches("[data-fokus]") ? wurzel : wurzel.querySelector("[data-fokus]");
    if (ziel) { ziel.focus(); }
  }

  // "Meine Meldungen": after a saved item, open the next open item (after it, then from the top of the list) and put
  // the focus on it; when none is left, on the message that the Meldung was saved.
  function istOffen(eintrag) {
    return !eintrag.classList.contains("meldeposten--erledigt") && !eintrag.hasAttribute("data-erfolg");
  }
  function weiterZumNaechsten(posten) {
    var alle = Array.prototype.slice.call(posten.parentElement.children);
    var stelle = alle.indexOf(posten);
    var naechster = alle.slice(stelle + 1).concat(alle.slice(0, stelle)).filter(istOffen)[0];
    if (!naechster) {
      var block = posten.closest(".meldeblock");
      var meldung = block ? block.querySelector(".meldestatus") : null;
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

  // Input kept after an expired session (strategie/fehler.py): put it back into the page's forms by field name.
  function setzeGeretteteEingabe() {
    var daten = document.getElementById("gerettete-eingabe");
    if (!daten) { return; }
    var felder = JSON.parse(daten.textContent);
    Object.keys(felder).forEach(function (name) {
      var werte = felder[name];
      document.querySelectorAll("main form [name=\"" + CSS.escape(name) + "\"]").forEach(function (feld) {
        if (feld.type === "checkbox" || feld.type === "radio") {
          feld.checked = werte.indexOf(feld.value) !== -1;
        } else if (feld.tagName === "SELECT") {
          Array.prototype.forEach.call(feld.options, function (option) { option.selected = werte.indexOf(option.value) !== -1; });
        } else if (feld.type !== "file" && feld.type !== "hidden") {
          feld.value = werte[0] || "";
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setzeGeretteteEingabe(); fokussiere(document); });

  // "Back" to a reporting page restored from the browser's cache would show a stale state (an item saved a moment
  // ago still "offen"): such pages load afresh.
  window.addEventListener("pageshow", function (ereignis) {
    if (ereignis.persisted && document.querySelector("[data-aktuell-halten]")) { window.location.reload(); }
  });

  // A form just saved rests: its buttons stay locked until something in it is changed, so a second click does not
  // store the same Meldung twice.
  function weckeAuf(ereignis) {
    var formular = ereignis.target.closest ? ereignis.target.closest("form[data-ruhend]") : null;
    if (!formular) { return; }
    formular.removeAttribute("data-ruhend");
    formular.querySelectorAll("button[disabled]").forEach(function (knopf) { knopf.disabled = false; });
  }
  document.addEventListener("input", weckeAuf);
  document.addEventListener("change", weckeAuf);
  // Django renews the CSRF token at every sign-in. A page opened before the user signed in again (in another
  // window) still holds the old one, so every htmx request sends the current token from the cookie.
  function csrfToken() {
    var treffer = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return treffer ? decodeURIComponent(treffer[1]) : null;
  }
  document.addEventListener("htmx:configRequest", function (ereignis) {
    var token = csrfToken();
    if (!token || ereignis.detail.verb === "get") { return; }
    ereignis.detail.headers["X-CSRFToken"] = token;
    ereignis.detail.parameters["csrfmiddlewaretoken"] = token;  // Django reads the form field before the header
  });

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

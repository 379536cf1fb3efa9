/* Search autocomplete for #search-q (ARIA 1.2 combobox with a listbox popup).
 * Keyboard: ArrowDown/ArrowUp move, Enter opens the selected concept, Escape closes.
 * Talks only to this service (/search/suggest); no external assets. */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  if (!input) { return; }
  var list = document.getElementById("search-suggestions");
  var form = input.form;
  var active = -1;
  var items = [];
  var timer = null;
  var seq = 0;

  function close() {
    list.hidden = true;
    list.innerHTML = "";
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    items = [];
    active = -1;
  }

  function select(i) {
    var opts = list.querySelectorAll("[role=option]");
    opts.forEach(function (o, j) { o.setAttribute("aria-selected", j === i ? "true" : "false"); });
    active = i;
    if (i >= 0 && opts[i]) {
      input.setAttribute("aria-activedescendant", opts[i].id);
      opts[i].scrollIntoView({ block: "nearest" });
    }
  }

  function render(results) {
    list.innerHTML = "";
    items = results;
    if (!results.length) { close(); return; }
    results.forEach(function (r, i) {
      var li = document.createElement("li");
      li.id = "suggestion-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      li.dataset.href = r.href;
      var main = document.createElement("span");
      main.textContent = r.label;
      if (r.lang) { main.lang = r.lang; }
      li.appendChild(main);
      if (r.fallback && r.lang) {
        var fb = document.createElement("span");
        fb.className = "fallback";
        fb.textContent = " (" + r.lang + ")";
        li.appendChild(fb);
      }
      if (r.matched && r.matched !== r.label) {
        var m = document.createElement("span");
        m.className = "muted";
        m.textContent = " ← " + r.matched;
        li.appendChild(m);
      }
      if (r.vocabTitle) {
        var v = document.createElement("span");
        v.className = "muted suggestion-vocab";
        v.textContent = " · " + r.vocabTitle;
        li.appendChild(v);
      }
      li.addEventListener("mousedown", function (ev) { ev.preventDefault(); window.location.href = r.href; });
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    active = -1;
  }

  function fetchSuggestions() {
    var q = input.value.trim();
    if (!q) { close(); return; }
    var params = new URLSearchParams({ q: q, lang: input.dataset.lang || "fi", limit: "10" });
    var vocab = form && form.elements.vocab ? form.elements.vocab.value : "";
    var slang = form && form.elements.search_lang ? form.elements.search_lang.value : "";
    if (vocab) { params.set("vocab", vocab); }
    if (slang) { params.set("search_lang", slang); }
    var mine = ++seq;
    fetch(input.dataset.suggest + "?" + params.toString(), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (data) { if (mine === seq) { render(data); } })
      .catch(function () { close(); });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 120);
  });
  input.addEventListener("keydown", function (ev) {
    if (list.hidden) { return; }
    if (ev.key === "ArrowDown") { ev.preventDefault(); select(Math.min(active + 1, items.length - 1)); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); select(Math.max(active - 1, 0)); }
    else if (ev.key === "Escape") { close(); }
    else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); window.location.href = items[active].href; }
  });
  input.addEventListener("blur", function () { setTimeout(close, 150); });
})();

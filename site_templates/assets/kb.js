// Knowledge base behaviour on every page. No network access, no third-party code; each part
// does nothing on a page without its markup, and the pages work without it (links are links).
(function () {
  "use strict";

  var FIELDS = ["ticket", "client", "tech"];

  // Ticket context from the address (?ticket=&client=&tech=), as checklist.js reads it.
  function ticketContext() {
    var found = {};
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { return found; }
    FIELDS.forEach(function (name) {
      var value = (params.get(name) || "").replace(/\s+/g, " ").trim();
      if (value) found[name] = value;
    });
    return found;
  }

  // The same encoding as `kb link` (Python's quote with safe="!~*'()").
  function withContext(url, context) {
    var query = FIELDS.filter(function (name) { return context[name]; })
      .map(function (name) { return name + "=" + encodeURIComponent(context[name]); })
      .join("&");
    if (!query) return url;
    var hash = url.indexOf("#");
    var base = hash < 0 ? url : url.slice(0, hash);
    return base + (base.indexOf("?") < 0 ? "?" : "&") + query + (hash < 0 ? "" : url.slice(hash));
  }

  function say(message) {
    var status = document.querySelector(".kb-status");
    if (status) status.textContent = message;
  }

  function fallbackCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    document.body.removeChild(area);
    return copied;
  }

  // Without clipboard access (file://, old browsers) the link is shown to copy by hand. tell
  // says what happened (the page's status line by default). Shared with checklist.js, which
  // loads after this file on every page.
  function copy(text, tell) {
    tell = tell || say;
    var done = function () { tell("Link copied: " + text); };
    var manual = function () {
      if (fallbackCopy(text)) done();
      else tell("Copy this link: " + text);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, manual);
    else manual();
  }
  window.kbCopy = copy;

  // --- Ticket-ready links (persona pages, run sheets) -------------------------------------------
  var context = ticketContext();
  document.querySelectorAll("[data-kb-copy-url]").forEach(function (button) {
    var url = withContext(button.getAttribute("data-kb-copy-url"), context);
    button.setAttribute("data-kb-link", url);
    button.addEventListener("click", function () { copy(url); });
  });
  document.querySelectorAll("[data-kb-permalink]").forEach(function (code) {
    code.textContent = withContext(code.getAttribute("data-kb-permalink"), context);
  });
  document.querySelectorAll("a[data-kb-carry-context]").forEach(function (link) {
    link.setAttribute("href", withContext(link.getAttribute("href"), context));
  });

  var sheet = document.querySelector("[data-kb-run-sheet]");
  if (sheet) {
    sheet.querySelectorAll("[data-kb-context]").forEach(function (cell) {
      var value = context[cell.getAttribute("data-kb-context")];
      if (value) cell.textContent = value;
    });
    FIELDS.forEach(function (name) {
      var row = sheet.querySelector('[data-kb-field="' + name + '"]');
      if (row && context[name]) row.hidden = false;
    });
    var header = sheet.querySelector("[data-kb-ticket]");
    if (header && Object.keys(context).length) header.hidden = false;
    var print = sheet.querySelector("[data-kb-print]");
    if (print) print.addEventListener("click", function () { window.print(); });
  }

  // --- Index pages that filter (playbooks, checklists, terms, controls) ------------------------
  // Each row's first link carries data-kb-facets="persona:ready framework:nist-csf-2.0 ...". The
  // choice lives in the address (?persona=&framework=&kind=&words=; not ?q=, which is Material's
  // search), so a filtered view can be bookmarked or pasted into a ticket.
  var filter = document.querySelector("form[data-kb-filter]");
  if (filter) {
    var rows = [];
    document.querySelectorAll("[data-kb-facets]").forEach(function (link) {
      var parts = [];
      var row = link.closest("tr");
      var term = link.closest("dt");
      if (row) parts = [row];
      else if (term) {
        parts = [term];
        for (var next = term.nextElementSibling; next && next.tagName === "DD"; next = next.nextElementSibling) parts.push(next);
      } else return;
      rows.push({
        parts: parts,
        tokens: (link.getAttribute("data-kb-facets") || "").split(/\s+/),
        text: parts.map(function (part) { return part.textContent; }).join(" ").toLowerCase()
      });
    });
    var fields = Array.prototype.slice.call(filter.querySelectorAll("select[name], input[name]"));
    var count = filter.querySelector(".kb-filter-count");
    var params;
    try { params = new URLSearchParams(window.location.search); } catch (e) { params = null; }
    fields.forEach(function (field) {
      var wanted = params ? params.get(field.name) : null;
      if (wanted === null) return;
      if (field.tagName === "SELECT" && !Array.prototype.some.call(field.options, function (o) { return o.value === wanted; })) return;
      field.value = wanted;
    });

    var apply = function (remember) {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = fields.every(function (field) {
          var value = field.value.trim();
          if (!value) return true;
          if (field.name === "words") {
            return value.toLowerCase().split(/\s+/).every(function (word) { return row.text.indexOf(word) >= 0; });
          }
          return row.tokens.indexOf(field.name + ":" + value) >= 0;
        });
        row.parts.forEach(function (part) { part.hidden = !keep; });
        if (keep) shown += 1;
      });
      if (count) count.textContent = shown === rows.length ? "All " + rows.length + " shown" : shown + " of " + rows.length + " shown";
      if (!remember) return;
      try {
        var url = new URL(window.location.href);
        fields.forEach(function (field) {
          if (field.value.trim()) url.searchParams.set(field.name, field.value.trim());
          else url.searchParams.delete(field.name);
        });
        window.history.replaceState(window.history.state, "", url.toString());
      } catch (e) { /* an address that cannot change (some file:// setups): the filter still works */ }
    };
    filter.addEventListener("input", function () { apply(true); });
    filter.addEventListener("change", function () { apply(true); });
    filter.addEventListener("submit", function (event) { event.preventDefault(); });
    filter.hidden = false;
    apply(false);
  }

  // --- Search narrowed to one kind (overrides/partials/search.html) -----------------------------
  // Pages are tagged with their kind; a button rewrites the query's `+tags:` terms and lets
  // Material search again, so results, counts and lazy loading stay Material's own.
  var kinds = document.querySelector(".kb-search-kinds");
  var query = document.querySelector(".md-search__input");
  if (kinds && query) {
    var buttons = Array.prototype.slice.call(kinds.querySelectorAll("[data-kb-kind]"));
    var TAG = /(^|\s)\+tags:\S+/g;
    var tokens = function (label) { return label.toLowerCase().split(/[\s-]+/).filter(Boolean); };
    var sync = function () {
      var chosen = (query.value.match(TAG) || []).map(function (t) { return t.trim().slice(6).toLowerCase(); });
      buttons.forEach(function (button) {
        var wanted = tokens(button.getAttribute("data-kb-kind"));
        var on = wanted.length ? wanted.every(function (t) { return chosen.indexOf(t) >= 0; }) : chosen.length === 0;
        button.setAttribute("aria-pressed", on ? "true" : "false");
      });
    };
    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var words = query.value.replace(TAG, " ").replace(/\s+/g, " ").trim();
        var only = tokens(button.getAttribute("data-kb-kind")).map(function (t) { return "+tags:" + t; });
        query.value = [words].concat(only).join(" ").trim();
        query.focus();
        query.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));  // Material searches on keyup
        sync();
      });
    });
    query.addEventListener("keyup", sync);
    query.addEventListener("input", sync);
    kinds.hidden = false;
    sync();
  }
})();

// Checklist pages opened from PSA tickets: ticket context from the query string (shown as text,
// never as HTML), copy-link buttons, ticks kept in this browser per checklist and ticket, former
// item anchors mapped to current ones, and a running print header. No network, no dependencies;
// everything degrades gracefully where localStorage or the clipboard is unavailable (file://).
(function () {
  "use strict";
  var root = document.querySelector("[data-kb-checklist]");
  if (!root) return;

  var FIELDS = ["ticket", "client", "tech"];
  var checklistId = root.getAttribute("data-kb-checklist");
  var baseUrl = root.getAttribute("data-kb-url");
  var status = root.querySelector(".kb-status");
  var context = readContext();

  function readContext() {
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
  function linkTo(itemId) {
    var query = FIELDS.filter(function (name) { return context[name]; })
      .map(function (name) { return name + "=" + encodeURIComponent(context[name]); })
      .join("&");
    return baseUrl + (query ? "?" + query : "") + (itemId ? "#" + itemId : "");
  }

  function say(message) {
    if (status) status.textContent = message;
  }

  // --- Ticket context, as text only ------------------------------------------------------------
  document.querySelectorAll("[data-kb-context]").forEach(function (cell) {
    var value = context[cell.getAttribute("data-kb-context")];
    if (value) cell.textContent = value;
  });
  FIELDS.forEach(function (name) {
    var row = root.querySelector('[data-kb-field="' + name + '"]');
    if (row && context[name]) row.hidden = false;
  });
  var header = root.querySelector("[data-kb-ticket]");
  if (header && Object.keys(context).length) header.hidden = false;

  // --- Copy links (the clipboard code is kb.js's) -------------------------------------------
  function copy(text) {
    window.kbCopy(text, say);
  }

  document.querySelectorAll("[data-kb-copy]").forEach(function (button) {
    var url = linkTo(button.getAttribute("data-kb-copy"));
    button.setAttribute("data-kb-link", url);
    button.addEventListener("click", function () { copy(url); });
  });

  // --- Ticks, kept per checklist and ticket ----------------------------------------------------
  var storage = (function () {
    try {
      var probe = "kb-probe";
      window.localStorage.setItem(probe, probe);
      window.localStorage.removeItem(probe);
      return window.localStorage;
    } catch (e) {
      return null;
    }
  })();
  var key = "kb-checklist:" + checklistId + ":" + (context.ticket || "");
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".kb-checklist input[type=checkbox][data-item]"));

  function save() {
    if (!storage) return;
    var ticked = boxes.filter(function (box) { return box.checked; })
      .map(function (box) { return box.getAttribute("data-item"); });
    try {
      if (ticked.length) storage.setItem(key, JSON.stringify(ticked));
      else storage.removeItem(key);
    } catch (e) { /* storage full or blocked: ticks stay on screen only */ }
  }

  if (storage) {
    var saved = [];
    try { saved = JSON.parse(storage.getItem(key) || "[]"); } catch (e) { saved = []; }
    boxes.forEach(function (box) { box.checked = saved.indexOf(box.getAttribute("data-item")) >= 0; });
  }
  boxes.forEach(function (box) { box.addEventListener("change", save); });

  var reset = root.querySelector("[data-kb-reset]");
  if (reset) {
    reset.addEventListener("click", function () {
      boxes.forEach(function (box) { box.checked = false; });
      save();
      say("All ticks cleared.");
    });
  }
  var print = root.querySelector("[data-kb-print]");
  if (print) print.addEventListener("click", function () { window.print(); });

  // --- Former item ids: #old-item-id leads to the item's current anchor ------------------------
  var aliases = {};
  try { aliases = JSON.parse(root.getAttribute("data-kb-aliases") || "{}"); } catch (e) { aliases = {}; }
  function followAlias() {
    var wanted = window.location.hash.slice(1);
    try { wanted = decodeURIComponent(wanted); } catch (e) { /* keep it as written */ }
    if (Object.prototype.hasOwnProperty.call(aliases, wanted)) window.location.replace("#" + aliases[wanted]);
  }
  followAlias();
  window.addEventListener("hashchange", followAlias);

  // --- Running print header and footer: title, version, ticket, URL, page numbers --------------
  function cssString(text) {
    return '"' + String(text).replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n\f]/g, " ") + '"';
  }
  var title = root.getAttribute("data-kb-title") + " · version " + root.getAttribute("data-kb-version") +
    (context.ticket ? " · ticket " + context.ticket : "");
  var style = document.createElement("style");
  style.textContent = "@media print { @page {" +
    " @top-left { content: " + cssString(title) + "; }" +
    ' @top-right { content: "Page " counter(page) " of " counter(pages); }' +
    " @bottom-left { content: " + cssString(linkTo("")) + "; } } }";
  document.head.appendChild(style);
})();

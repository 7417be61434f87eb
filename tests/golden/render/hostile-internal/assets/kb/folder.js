// A built site opened from a folder (file://), as a technician on a client site may open a copy
// of it. Nothing here runs over http(s). Published URLs stay as they are (directory URLs that
// tickets link to); only this browser's way of following them changes:
//  - a link to a folder ("playbooks/x/") opens its index.html, not the browser's folder listing;
//  - search runs: browsers refuse Web Workers on file:// pages, so Material's search worker runs
//    in a hidden same-origin frame, and reads search/search_index.js (written after the build)
//    because file:// pages cannot fetch the JSON index.
// Loaded before Material's own script (overrides/main.html, block libs), which makes the worker.
(function () {
  "use strict";
  if (window.location.protocol !== "file:") return;

  function inFolder(url) {
    return url.protocol === "file:" && url.pathname.slice(-1) === "/";
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var link = event.target instanceof Element ? event.target.closest("a[href]") : null;
    if (!link || (link.target && link.target !== "_self")) return;
    var url = new URL(link.href, window.location.href);
    if (!inFolder(url)) return;
    event.preventDefault();
    url.pathname += "index.html";
    window.location.href = url.href;
  }, true);

  if (!window.Worker || !window.EventTarget) return;

  function FolderWorker(url) {
    var target = new EventTarget();
    var queue = [];
    var scope = null;
    var frame = document.createElement("iframe");
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.title = "Search";
    frame.setAttribute("aria-hidden", "true");
    (document.body || document.documentElement).appendChild(frame);
    var inner = frame.contentWindow;
    inner.postMessage = function (data) { target.dispatchEvent(new MessageEvent("message", { data: data })); };
    inner.importScripts = function () {};  // only languages other than English load more scripts
    var deliver = function (data) { inner.dispatchEvent(new inner.MessageEvent("message", { data: data })); };
    var script = inner.document.createElement("script");
    script.src = new URL(url, window.location.href).href;
    script.onload = function () { scope = inner; queue.splice(0).forEach(deliver); };
    script.onerror = function () { target.dispatchEvent(new Event("error")); };
    inner.document.head.appendChild(script);
    target.postMessage = function (data) { if (scope) deliver(data); else queue.push(data); };
    target.terminate = function () { frame.remove(); };
    return target;
  }
  window.Worker = FolderWorker;
})();

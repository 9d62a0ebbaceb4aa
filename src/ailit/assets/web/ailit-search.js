/* ailit: the search index and search worker load when the reader first uses search.
   Material starts its worker and fetches the index on every page load; most readers never
   search, and the index is the heaviest file a page would load. So before Material's bundle
   runs, the search worker it creates is a stand-in that starts the real one (through the
   iframe-worker shim from file://) at the first focus of the search box, opening of the
   search or message from Material, and Material is left without an index (its form is
   unnamed) unless a search result's highlight (?h=) needs one at once: then Material
   loads it itself. This stand-in loads it, the same file Material would, on first use. */
(function () {
  "use strict";
  var form = document.querySelector("form.md-search__form");
  var config = JSON.parse(document.getElementById("__config").textContent);
  if (!form || !config.search || !window.Worker) return;
  var base = new URL(config.base + "/", location.href);
  var offline = location.protocol === "file:";
  var highlight = new URL(location.href).searchParams.has("h");
  if (!highlight) form.removeAttribute("name");  /* Material: no form, no index of its own */
  var Native = window.Worker;
  var started = null;

  function script(src) {
    return new Promise(function (resolve, reject) {
      var tag = document.createElement("script");
      tag.src = src;
      tag.onload = resolve;
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
  }

  function index() {
    if (offline) {
      return script(new URL("search/search_index.js", base).href).then(function () {
        return window.__index;
      });
    }
    return new Promise(function (resolve, reject) {
      var request = new XMLHttpRequest();
      request.open("GET", new URL("search/search_index.json", base).href);
      request.onload = function () { resolve(JSON.parse(request.responseText)); };
      request.onerror = reject;
      request.send();
    });
  }

  function SearchWorker(url) {
    var target = new EventTarget();
    var queue = [];
    var real = null;
    var own = !highlight;  /* this page loads the index itself */
    function start() {
      if (started) return;
      started = (offline ? script(JSON.parse(document.getElementById("__ailit").textContent).shim) : Promise.resolve())
        .then(function () {
          real = new (offline ? window.IFrameWorker : Native)(url);
          real.addEventListener("message", function (event) {
            target.dispatchEvent(new MessageEvent("message", { data: event.data }));
          });
          return own ? index() : null;
        })
        .then(function (data) {
          if (data) {
            var suggest = (config.features || []).indexOf("search.suggest") >= 0;
            real.postMessage({ type: 0, data: { config: data.config, docs: data.docs, options: { suggest: suggest } } });
          }
          queue.splice(0).forEach(function (message) { real.postMessage(message); });
        });
    }
    target.postMessage = function (message) {
      if (real) real.postMessage(message); else queue.push(message);
      start();
    };
    target.terminate = function () { if (real) real.terminate(); };
    function use(event) {
      if (event.target.matches && event.target.matches(".md-search__input, [data-md-toggle=search]:checked")) start();
    }
    document.addEventListener("focusin", use);
    document.addEventListener("change", use);
    var input = form.querySelector(".md-search__input");
    if (document.activeElement === input || document.querySelector("[data-md-toggle=search]:checked")) {
      start();  /* the reader reached for search before this script arrived */
    }
    return target;
  }

  window.Worker = function (url, options) {
    return String(url) === config.search ? SearchWorker(url) : new Native(url, options);
  };
})();

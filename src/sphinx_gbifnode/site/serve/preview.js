/* gbifnode serve: reload the page after a build, keep its scroll position, show the
   problems of a build over the page. Added by the preview server only; never part of a
   built site. Texts come from the script tag's data-labels, in the page's language. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.WebSocket) { return; }
  var labels = {};
  try { labels = JSON.parse(script.getAttribute("data-labels") || "{}"); } catch (e) { /* none */ }
  var language = script.getAttribute("data-language") || "";
  var servedBuild = Number(script.getAttribute("data-build") || "0");
  var SCROLL_KEY = "gbifnode-preview-scroll";
  var panel = null;
  var badge = null;
  var retry = 500;

  function restoreScroll() {
    var saved = null;
    try { saved = JSON.parse(sessionStorage.getItem(SCROLL_KEY) || "null"); } catch (e) { saved = null; }
    if (!saved || saved.path !== location.pathname) { return; }
    sessionStorage.removeItem(SCROLL_KEY);
    if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }
    var back = function () { window.scrollTo(saved.x, saved.y); };
    back();
    // Images and fonts may still change the page's height: once more when loaded.
    window.addEventListener("load", back);
  }

  function reload() {
    try {
      sessionStorage.setItem(SCROLL_KEY, JSON.stringify(
        { path: location.pathname, x: window.scrollX, y: window.scrollY }));
    } catch (e) { /* private mode: reload anyway */ }
    location.reload();
  }

  function element(tag, text, style) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }  // never HTML: messages quote the sources
    if (style) { node.setAttribute("style", style); }
    return node;
  }

  function showBadge(on) {
    if (on && !badge) {
      badge = element("div", labels.building || "Updating the preview…",
        "position:fixed;right:1rem;bottom:1rem;z-index:2147483647;padding:.4rem .8rem;" +
        "background:#1f3b2d;color:#fff;font:14px system-ui,sans-serif;border-radius:4px;" +
        "box-shadow:0 2px 8px rgba(0,0,0,.3)");
      badge.className = "gbifnode-preview-building";
      document.body.appendChild(badge);
    } else if (!on && badge) {
      badge.remove();
      badge = null;
    }
  }

  function showProblems(message) {
    if (panel) { panel.remove(); panel = null; }
    var problems = message.problems || [];
    var failed = (message.failed || []).length > 0;
    if (!problems.length && !failed) { return; }
    panel = element("div", "", "position:fixed;left:0;right:0;bottom:0;z-index:2147483647;" +
      "max-height:60vh;overflow:auto;padding:1rem 1.25rem;font:14px/1.4 system-ui,sans-serif;" +
      "color:#fff;box-shadow:0 -2px 12px rgba(0,0,0,.4);background:" +
      (failed ? "#8b1a1a" : "#5c4a00"));
    panel.className = "gbifnode-preview-problems";
    panel.setAttribute("role", "alert");
    var head = element("div", "", "display:flex;gap:1rem;align-items:baseline");
    var title = element("strong", failed ? labels.failed : labels.warnings + " (" + problems.length + ")");
    var toggle = element("button", failed ? labels.hide : labels.show,
      "margin-left:auto;font:inherit;cursor:pointer");
    head.appendChild(title);
    head.appendChild(toggle);
    panel.appendChild(head);
    var list = element("ul", "", "margin:.5rem 0 0;padding-left:1.25rem");
    problems.forEach(function (problem) {
      var item = element("li", "", "margin:.25rem 0;white-space:pre-wrap");
      var where = problem.file ? problem.file + (problem.line ? ":" + problem.line : "") : "";
      if (where) { item.appendChild(element("code", where, "font-weight:bold")); item.appendChild(document.createTextNode(" ")); }
      item.appendChild(document.createTextNode(problem.message));
      list.appendChild(item);
    });
    // Errors are shown open; warnings only on request, they do not stop the update.
    list.hidden = !failed;
    toggle.addEventListener("click", function () {
      list.hidden = !list.hidden;
      toggle.textContent = list.hidden ? labels.show : labels.hide;
    });
    panel.appendChild(list);
    document.body.appendChild(panel);
  }

  function concernsThisPage(message) {
    // The root chooser lists every language; a language's page reloads for its own.
    return language === "" || (message.languages || []).indexOf(language) >= 0;
  }

  function connect() {
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") +
      location.host + "/_gbifnode/live");
    socket.onopen = function () {
      retry = 500;
      document.documentElement.setAttribute("data-gbifnode-preview", "live");
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.type === "building") {
        showBadge(true);
      } else if (message.type === "hello") {
        // A build finished between serving this page and now: show its result.
        if (message.build !== servedBuild && concernsThisPage(message)) { reload(); return; }
        showProblems(message);
      } else if (message.type === "built") {
        showBadge(false);
        if (concernsThisPage(message)) { reload(); return; }
        showProblems(message);
      }
    };
    socket.onclose = function () {
      // The server restarts or stops: try again, less and less often.
      document.documentElement.setAttribute("data-gbifnode-preview", "waiting");
      showBadge(false);
      retry = Math.min(retry * 2, 5000);
      window.setTimeout(connect, retry);
    };
  }

  restoreScroll();
  connect();
})();

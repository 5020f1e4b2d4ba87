/* Registers the language's service worker (sw.js at the language's root, written by
   macros/offline.py at build time) and shows an accessible notice: "Available offline" once
   the toolkit is stored, "A new version … Reload" when a new build is waiting. The waiting
   version takes over only when the reader asks (or every tab of the old one is closed), so a
   page and its PDF always come from the same build. The words (`WORDS`) are put in front of
   this file by macros/browser_assets.py. */
(function () {
  "use strict";
  if (!("serviceWorker" in navigator) || !window.URL) return;
  var script = document.currentScript;
  if (!script || !script.src) return;
  // this file is <language root>/assets/toolkit/offline.js, under any sub-path
  var root = new URL("../../", script.src);
  var words = typeof WORDS === "object" ? WORDS : {};
  var reloading = false;
  var wanted = false;
  var box = document.createElement("div");
  box.className = "tk-offline";
  box.setAttribute("role", "status");
  box.setAttribute("aria-live", "polite");
  (document.querySelector(".md-content") || document.body).prepend(box);

  function ready() { box.textContent = words.ready || ""; }
  function update(worker) {
    box.textContent = (words.update || "") + " ";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = words.reload || "Reload";
    button.addEventListener("click", function () {
      wanted = true;
      worker.postMessage({ type: "SKIP_WAITING" });
    });
    box.appendChild(button);
  }
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (wanted && !reloading) { reloading = true; location.reload(); }
  });
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(new URL("sw.js", root).href, { scope: root.href }).then(function (reg) {
      // A new version is one that waits behind an active worker of this same registration.
      // The page's controller says nothing about that: a Spanish page first opened after
      // English ones is controlled by the English worker (whose scope, the site root,
      // contains es/) while the Spanish worker installs for the first time.
      if (reg.waiting && reg.active) update(reg.waiting);
      reg.addEventListener("updatefound", function () {
        var worker = reg.installing;
        var first = !reg.active;
        if (!worker) return;
        worker.addEventListener("statechange", function () {
          if (worker.state === "installed" && !first) update(worker);
          if (worker.state === "activated" && first) ready();
        });
      });
    }).catch(function () { /* no service worker (mkdocs serve, file://): the site works online */ });
  });
})();

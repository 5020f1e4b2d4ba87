/* The language switch (overrides/partials/alternate.html) leads to the same page in the other
   language; this keeps the place on it: the part of the page in the address (#…) goes along,
   because both languages give each section and item the same id. Without JavaScript the
   link still opens the page, at its top. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.md-select__link[hreflang]");
    if (!link || !location.hash || link.hash) return;
    link.hash = location.hash;
  }, true);
})();

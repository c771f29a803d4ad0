// The live status page: fetch the status table every few seconds (no inline scripts: CSP).
(function () {
  "use strict";
  var box = document.getElementById("live-status");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-url");
  function refresh() {
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) { box.innerHTML = html; } })
      .catch(function () { /* keep the last table; try again */ });
  }
  window.setInterval(refresh, 3000);
})();

// Counts up from the arrival time in every [data-since] element. The page works
// without it (the server prints how long ago); this only keeps the count live.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function tick() {
    var nodes = document.querySelectorAll("[data-since]");
    for (var i = 0; i < nodes.length; i++) {
      var since = Date.parse(nodes[i].getAttribute("data-since"));
      if (isNaN(since)) { continue; }
      var s = Math.max(0, Math.floor((Date.now() - since) / 1000));
      var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
      nodes[i].textContent = (h ? h + ":" + pad(m) : String(m)) + ":" + pad(sec) + " since arrival";
    }
  }
  tick();
  window.setInterval(tick, 1000);
})();

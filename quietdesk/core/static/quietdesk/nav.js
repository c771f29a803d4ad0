// The grouped menu: a <details> element, so it opens and closes without this file.
// This only closes it on Escape (focus back on "Menu") and on a click elsewhere.
(function () {
  "use strict";
  var menu = document.getElementById("menu");
  if (!menu) { return; }
  var summary = menu.querySelector("summary");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.open) {
      menu.open = false;
      summary.focus();
    }
  });
  document.addEventListener("click", function (event) {
    if (menu.open && !menu.contains(event.target)) { menu.open = false; }
  });
})();

// A wide table on a narrow screen scrolls sideways: make its box reachable with the
// keyboard (Tab, then the arrow keys), named after the heading above it.
(function () {
  "use strict";
  var boxes = document.querySelectorAll(".table-wrap:not([tabindex])");
  for (var i = 0; i < boxes.length; i++) {
    var box = boxes[i];
    if (box.scrollWidth <= box.clientWidth) { continue; }
    var heading = null;
    for (var el = box.previousElementSibling; el && !heading; el = el.previousElementSibling) {
      if (/^H[1-6]$/.test(el.tagName)) { heading = el; }
    }
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", (heading ? heading.textContent + ": " : "") + "table, scrolls sideways");
  }
})();

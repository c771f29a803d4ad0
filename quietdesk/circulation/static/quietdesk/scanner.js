// The circulation desk with a barcode scanner: the pages already put the focus on the next
// field (autofocus) and a scanner's Enter submits the form, so this file only adds the
// optional beep (chosen per computer) and Escape for "next patron". Without it all works.
(function () {
  "use strict";
  var KEY = "quietdesk-desk-sound";
  var choice = document.getElementById("sound-choice");
  var toggle = document.getElementById("sound-toggle");
  var on = false;
  try { on = window.localStorage.getItem(KEY) === "on"; } catch (e) { on = false; }
  if (choice && toggle) {
    choice.hidden = false;
    toggle.checked = on;
    toggle.addEventListener("change", function () {
      on = toggle.checked;
      try { window.localStorage.setItem(KEY, on ? "on" : "off"); } catch (e) { /* private window */ }
    });
  }
  var result = document.getElementById("scan-result");
  if (result && on) {
    var sound = document.getElementById("sound-" + result.getAttribute("data-sound"));
    if (sound && sound.play) {
      var played = sound.play();
      if (played && played.catch) { played.catch(function () { /* the browser refused: no beep */ }); }
    }
  }
  var next = document.getElementById("next-patron");
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && next) { window.location.assign(next.href); }
  });
  // Keep the scanner's focus: a field that received the autofocus selects what is in it.
  var focused = document.querySelector(".scanner [autofocus]");
  if (focused && focused.select) { focused.select(); }
})();

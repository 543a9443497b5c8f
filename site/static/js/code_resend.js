// Verification-code pages: the "send a new code" button waits out a minute after a code
// was sent, counting down, so nobody taps it while the SMS is still on its way. Without
// JavaScript the button simply works (allauth's rate limits still apply).
(function () {
  "use strict";
  document.querySelectorAll("button[data-resend-wait]").forEach(function (button) {
    var left = parseInt(button.dataset.resendWait, 10);
    var label = button.dataset.resendLabel;
    var waiting = button.dataset.resendWaiting;
    function tick() {
      if (left <= 0) {
        button.disabled = false;
        button.textContent = label;
        return;
      }
      button.disabled = true;
      button.textContent = waiting.replace("{s}", left);
      left -= 1;
      window.setTimeout(tick, 1000);
    }
    tick();
  });
})();

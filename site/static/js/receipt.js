// The receipt is shown once (it is stored nowhere with the voter): until it has been
// downloaded, printed or copied, leaving the page asks first.
(function () {
  "use strict";
  var receipt = document.querySelector("[data-receipt]");
  if (!receipt) return;
  var value = receipt.querySelector("[data-receipt-code]").lastChild; // the code's text
  var code = value.textContent.trim();
  var kept = false;
  function keep() { kept = true; }
  window.addEventListener("beforeunload", function (event) {
    if (kept) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers need a value to ask
  });
  receipt.querySelector("[data-receipt-kept]").addEventListener("click", keep);
  receipt.querySelector("[data-receipt-print]").addEventListener("click", function () {
    keep();
    window.print();
  });
  document.addEventListener("copy", keep); // also a code selected and copied by hand
  receipt.querySelector("[data-receipt-copy]").addEventListener("click", function () {
    var done = function () {
      keep();
      receipt.querySelector("[data-receipt-copied]").hidden = false;
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(code).then(done, function () {});
    } else {
      var range = document.createRange();
      range.selectNodeContents(value);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      if (document.execCommand("copy")) done();
    }
  });
})();

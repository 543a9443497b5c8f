// The vote form's confirmation names what will be cast: its data-confirm sentence gets
// whose vote it is and the choice(s) ticked, as they are ticked (confirm.js reads it).
(function () {
  "use strict";
  var zh = document.documentElement.lang.indexOf("zh") === 0;
  var colon = zh ? "：" : ": ", comma = zh ? "、" : ", ";
  function label(input) { return input.closest("label").textContent.trim(); }
  document.querySelectorAll("form[data-confirm-base]").forEach(function (form) {
    function fill() {
      var lines = [form.dataset.confirmBase];
      form.querySelectorAll("fieldset").forEach(function (set) {
        var picked = Array.prototype.map.call(set.querySelectorAll("input:checked"), label);
        if (!picked.length) return;
        var whose = set.querySelector("input[name=on_behalf_of]");
        var legend = set.querySelector("legend").textContent.trim();
        lines.push(whose ? picked[0] : legend + colon + picked.join(comma));
      });
      form.dataset.confirm = lines.join("\n");
    }
    form.addEventListener("change", fill);
    fill();
    // Until the shared confirm.js is loaded, this form asks with its own dialog.
    var dialog = form.querySelector("dialog[data-vote-confirm]");
    if (!dialog || !dialog.showModal || document.querySelector("script[src*='js/confirm.js']")) return;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      dialog.querySelector("[data-vote-confirm-text]").textContent = form.dataset.confirm;
      dialog.showModal();
    });
    dialog.querySelector("[data-confirm-ok]").addEventListener("click", function () {
      dialog.close();
      form.submit(); // no submit event: the question is answered
    });
    dialog.querySelector("[data-confirm-cancel]").addEventListener("click", function () {
      dialog.close();
    });
  });
})();

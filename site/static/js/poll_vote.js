// The vote form's confirmation names what will be cast: its data-confirm sentence gets
// whose vote it is and the choice(s) ticked, as they are ticked (confirm.js asks with it).
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
  });
})();

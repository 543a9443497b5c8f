// Irreversible acts ask first (components/confirm_dialog.html): a form, or the submit
// button pressed, with data-confirm="…" opens the page's one dialog with that sentence;
// "yes" sends the form as the button would have (its name and value kept), "cancel"
// or Esc sends nothing. Without JS or <dialog>, the form is sent at once.
(function () {
  "use strict";
  var dialog = document.getElementById("confirm-dialog");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var text = dialog.querySelector("[data-confirm-text]");
  var ok = dialog.querySelector("[data-confirm-ok]");
  var asking = null;

  // Capture phase: asked before any other submit handler of the page sees the submit.
  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    var source = button && button.hasAttribute("data-confirm") ? button : form;
    var question = source.getAttribute("data-confirm");
    if (!question) return;
    if (form.dataset.confirmed === "yes") { delete form.dataset.confirmed; return; }
    event.preventDefault();
    event.stopPropagation();
    asking = { form: form, button: button };
    text.textContent = question;
    ok.textContent = source.getAttribute("data-confirm-yes") || ok.dataset.label;
    dialog.showModal();
  }, true);

  ok.addEventListener("click", function () {
    var form = asking.form, button = asking.button;
    dialog.close();
    form.dataset.confirmed = "yes";
    if (form.requestSubmit) {
      form.requestSubmit(button || undefined);
    } else {
      if (button && button.name) {
        var kept = document.createElement("input");
        kept.type = "hidden"; kept.name = button.name; kept.value = button.value;
        form.appendChild(kept);
      }
      form.submit();
    }
  });
  dialog.querySelector("[data-confirm-cancel]").addEventListener("click", function () { dialog.close(); });
  dialog.addEventListener("close", function () { asking = null; });
})();

// The roster: one tap checks a person in and only their row changes, without a reload;
// typing in the search filters the roll as you type. Both fetch the page the server
// would show anyway (the tap's POST redirects back to it) and swap the parts that
// changed, so there is one way to render a row. Without JS the same forms work as is.
(function () {
  "use strict";
  var root = document.querySelector("[data-roster]");
  if (!root || !window.fetch || !window.DOMParser) return;
  var said = root.querySelector("[data-roster-said]");

  function parse(html) { return new DOMParser().parseFromString(html, "text/html"); }

  function swap(doc, selector) {
    var fresh = doc.querySelector(selector), old = document.querySelector(selector);
    if (fresh && old) old.replaceWith(document.importNode(fresh, true));
  }

  function say(doc) {
    var items = doc.querySelectorAll(".messages li");
    said.textContent = Array.prototype.map.call(items, function (li) { return li.textContent.trim(); }).join(" ");
    said.classList.toggle("roster-said--error", !!doc.querySelector(".messages .alert--error"));
    return items.length ? items[items.length - 1] : null;
  }

  // A tap: post the row's form, show the row as the server now has it.
  root.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[method=post]")) return;
    var row = form.closest("[data-roster-row]") || form.closest("li");
    event.preventDefault();
    if (row.getAttribute("aria-busy") === "true") return; // a second tap while the first is on its way
    row.setAttribute("aria-busy", "true");
    // getAttribute: the form's input named "action" hides the form.action property.
    fetch(form.getAttribute("action"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var doc = parse(html);
        var message = say(doc);
        var fresh = row.id && doc.getElementById(row.id);
        if (fresh) {
          fresh = document.importNode(fresh, true);
          row.replaceWith(fresh);
          row = fresh;
          // A double tap must not check the person straight out again: the row's new
          // buttons wait a moment before they take a tap.
          row.querySelectorAll("button").forEach(function (button) {
            button.disabled = true;
            setTimeout(function () { button.disabled = false; }, 800);
          });
        } else if (message && !message.classList.contains("alert--error")) {
          // The row left this filter (e.g. "not yet arrived"): it stays, saying what happened,
          // so the rows below do not move under the chair's finger.
          row.querySelectorAll("form").forEach(function (f) { f.remove(); });
          var badge = document.createElement("span");
          badge.className = "badge badge--ok";
          badge.textContent = message.textContent.trim();
          row.appendChild(badge);
          row.removeAttribute("aria-busy");
        } else {
          row.removeAttribute("aria-busy");
        }
        swap(doc, "#roster-quorum [data-quorum]");
        swap(doc, ".roster-filters");
        swap(doc, "#roster-observers");
        if (row.focus) row.focus({ preventScroll: true });
      })
      .catch(function () { form.submit(); }); // let the page do it the plain way
  });

  // The search filters as you type (the button and Enter still submit the plain GET).
  var search = root.querySelector("[data-roster-search]");
  var input = search && search.querySelector("input[name=q]");
  var timer = null, asked = 0;
  if (!input) return;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var url = location.pathname + "?" + new URLSearchParams(new FormData(search)).toString();
      var mine = ++asked;
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
        .then(function (html) {
          if (mine !== asked) return; // an older answer arriving late
          swap(parse(html), "#roster-list");
          history.replaceState(null, "", url);
        })
        .catch(function () {});
    }, 250);
  });
})();

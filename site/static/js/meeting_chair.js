// The chair's screen: refresh the live quorum every few seconds from the meeting's
// JSON endpoint, so check-ins on phones show up without reloading the page.
(function () {
  var box = document.querySelector("[data-quorum-url]");
  if (!box) return;
  var url = box.getAttribute("data-quorum-url");
  function show(q) {
    var panel = box.querySelector("[data-quorum]");
    var verdict = box.querySelector("[data-quorum-verdict]");
    box.querySelector("[data-quorum-present]").textContent = q.present;
    box.querySelector("[data-quorum-members]").textContent = q.members;
    panel.classList.toggle("quorum--met", q.met);
    panel.classList.toggle("quorum--short", !q.met);
    verdict.textContent = q.met ? verdict.getAttribute("data-met-text") : q.reason;
  }
  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (q) { if (q) show(q); })
      .catch(function () {});
  }
  setInterval(refresh, 4000);
})();

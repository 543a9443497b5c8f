// Live turnout of a poll (voted / eligible, and the running tally of a named poll),
// pushed over a websocket. Without JavaScript the numbers the server rendered stay.
(function () {
  "use strict";
  var box = document.getElementById("poll-turnout");
  if (!box || !box.getAttribute("data-ws") || !("WebSocket" in window)) return;
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host +
    box.getAttribute("data-ws");
  var QUIET_MS = 1500; // after the last message, ask once for the latest figures
  var delay = 1000;
  var socket = null;
  var quietTimer = null;
  var shown = null; // the last figures shown, as a string, to spot a change

  if (!box.hasAttribute("aria-live")) box.setAttribute("aria-live", "polite");

  // Meeting screens (a page marked data-screen): big figures for a hall, from the
  // chair's quorum styles, and the screen kept awake.
  if (document.querySelector("[data-screen]")) {
    box.classList.add("quorum");
    box.querySelectorAll('[data-live="voted"], [data-live="percent"]').forEach(function (el) {
      if (!isGauge(el) && el.parentElement !== box) el.parentElement.classList.add("quorum__figure");
    });
    if (navigator.wakeLock) navigator.wakeLock.request("screen").catch(function () {});
  }

  function isGauge(el) {
    return el.tagName === "PROGRESS" || el.tagName === "METER";
  }

  function fill(selector, value, max) {
    box.querySelectorAll(selector).forEach(function (el) {
      if (isGauge(el)) {
        if (max !== undefined) el.max = max;
        el.value = value;
      } else {
        el.textContent = value;
      }
    });
  }

  function show(data) {
    fill('[data-live="voted"]', data.voted, Math.max(data.eligible, 1));
    fill('[data-live="eligible"]', data.eligible);
    var percent = data.eligible ? Math.round((data.voted * 1000) / data.eligible) / 10 : 0;
    box.querySelectorAll('[data-live="percent"]').forEach(function (el) {
      if (isGauge(el)) el.value = percent;
      else el.textContent = percent + "%";
    });
    if (data.tally) {
      Object.keys(data.tally).forEach(function (optionId) {
        var votes = data.tally[optionId];
        // A graded named poll counts per subject; those rows are not live on the page.
        if (typeof votes === "number") fill('[data-live-tally="' + optionId + '"]', votes);
      });
    }
  }

  // Pushes come at most once a second per poll, so the last ballots of a burst may
  // land after the last push: once things are quiet, ask for the figures again. A
  // reply that changes nothing schedules no further request, and neither does the
  // first message of a connection (read as it opens: nothing to catch up on).
  function onMessage(message, first) {
    var data;
    try { data = JSON.parse(message.data); } catch (e) { return; }
    if (data.event !== "poll.turnout") return;
    var figures = JSON.stringify([data.voted, data.eligible, data.tally || null]);
    var changed = figures !== shown;
    shown = figures;
    show(data);
    if (changed && !first) {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(refresh, QUIET_MS);
    }
  }

  function refresh() {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "refresh" }));
    }
  }

  function connect() {
    var first = true;
    var lost = false;
    var ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = function (message) {
      onMessage(message, first);
      first = false;
    };
    ws.onopen = function () {
      delay = 1000;
      box.setAttribute("data-live-state", "live");
    };
    // Browsers follow an error with a close; some engines report a refused connection
    // only as an error. Either way, one reconnection per socket.
    function onLost(code) {
      if (lost) return;
      lost = true;
      clearTimeout(quietTimer);
      box.setAttribute("data-live-state", "offline");
      if (code === 4404) return; // no such poll to watch: the page's figures stay
      setTimeout(connect, delay + Math.random() * 1000); // spread a hall's reconnects
      delay = Math.min(delay * 2, 30000);
    }
    ws.onerror = function () { onLost(); };
    ws.onclose = function (event) { onLost(event.code); };
  }
  connect();
})();

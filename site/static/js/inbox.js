// Keeps the inbox badge current: the server pushes the unread count over a websocket.
(function () {
  "use strict";
  var badges = document.querySelectorAll("[data-inbox-count]");
  if (!badges.length || !("WebSocket" in window)) return;
  var scheme = location.protocol === "https:" ? "wss://" : "ws://";
  var delay = 1000;
  function show(unread) {
    badges.forEach(function (badge) {
      badge.textContent = unread;
      badge.hidden = unread === 0;
    });
  }
  function connect() {
    var socket = new WebSocket(scheme + location.host + "/ws/inbox/");
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.event === "inbox.unread") show(data.unread);
    };
    socket.onopen = function () { delay = 1000; };
    socket.onclose = function (event) {
      if (event.code === 4401) return; // signed out: nothing to follow
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();

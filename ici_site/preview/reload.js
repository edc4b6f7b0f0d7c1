/* ici_site preview client: `serve` adds it to the pages it serves (never to the built
   files). It reloads the page when `serve` has rebuilt the site. A file of the site's own
   origin, so the pages' strict Content-Security-Policy (script-src 'self',
   connect-src 'self') lets it run unchanged. Speaks the LiveReload protocol 7. */
(function () {
  "use strict";
  var script = document.currentScript, build = script && script.getAttribute("data-build");
  var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/livereload";
  var wait = 500, lost = false;

  function connect() {
    var socket = new WebSocket(url);
    socket.onopen = function () {
      wait = 500;
      socket.send(JSON.stringify({command: "hello", protocols: ["http://livereload.com/protocols/official-7"]}));
    };
    socket.onmessage = function (event) {
      var message = JSON.parse(event.data);
      if (message.command === "hello") {
        /* A build finished between serving this page and this connection, or `serve`
           was started again: this page is out of date. */
        if (lost || (build && message.build !== undefined && String(message.build) !== build)) {
          location.reload();
          return;
        }
        socket.send(JSON.stringify({command: "info", url: location.href, plugins: {}}));
      } else if (message.command === "reload") {
        location.reload();
      }
    };
    socket.onclose = function () {
      lost = true;  // `serve` stopped: try again, and reload once it is back
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 5000);
    };
  }
  connect();
})();

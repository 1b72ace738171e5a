/* The hall display: polls the board of called numbers every 3 seconds (no inline script, no CDN). */
(function () {
  "use strict";
  var root = document.getElementById("hall");
  if (!root) { return; }
  var url = root.getAttribute("data-board");
  var body = document.getElementById("hall-rows");
  var last = "";
  function cell(text, cls) {
    var td = document.createElement("td");
    td.textContent = text;
    if (cls) { td.className = cls; }
    return td;
  }
  function refresh() {
    fetch(url, { credentials: "omit", cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (data) {
        var key = JSON.stringify(data.called);
        if (key === last || !data.called.length) { return; }
        last = key;
        body.replaceChildren();
        data.called.forEach(function (row) {
          var tr = document.createElement("tr");
          tr.appendChild(cell(row.number, "queue-number"));
          tr.appendChild(cell(row.desk));
          tr.appendChild(cell(row.field));
          body.appendChild(tr);
        });
      }).catch(function () { /* the next poll tries again */ });
  }
  window.setInterval(refresh, 3000);
})();

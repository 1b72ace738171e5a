// The assistant's chat box (portal and kiosk). No framework, no CDN: plain DOM and fetch.
// The reply is shown as text (never HTML); cited procedures become links to their catalog page.
(function () {
  "use strict";
  var root = document.getElementById("as-chat");
  if (!root) { return; }
  var toggle = document.getElementById("as-toggle");
  var panel = document.getElementById("as-panel");
  var form = document.getElementById("as-form");
  var input = document.getElementById("as-input");
  var log = document.getElementById("as-log");
  var error = document.getElementById("as-error");
  var channel = root.getAttribute("data-channel") || "web";
  var endpoint = root.getAttribute("data-endpoint");
  // The kiosk forgets everything at reset (memory only); the portal keeps the conversation for the tab.
  var store = channel === "kiosk" ? null : window.sessionStorage;
  var conversation = store ? store.getItem("motcua-assistant") : null;

  function open(show) {
    panel.hidden = !show;
    toggle.setAttribute("aria-expanded", show ? "true" : "false");
    if (show) { input.focus(); }
  }
  toggle.addEventListener("click", function () { open(panel.hidden); });

  function add(kind, text, procedures) {
    var item = document.createElement("li");
    item.className = "as-msg as-" + kind;
    var body = document.createElement("div");
    body.className = "as-text";
    body.textContent = text;
    item.appendChild(body);
    if (procedures && procedures.length) {
      var list = document.createElement("ul");
      list.className = "as-cites";
      procedures.forEach(function (p) {
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "/thu-tuc/" + encodeURIComponent(p.code) + "/";
        a.textContent = p.code + " – " + p.name;
        li.appendChild(a);
        list.appendChild(li);
      });
      item.appendChild(list);
    }
    log.appendChild(item);
    item.scrollIntoView({block: "nearest"});
    return item;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    error.hidden = true;
    add("citizen", text);
    input.value = "";
    var payload = {message: text};
    if (conversation) { payload.conversation = conversation; }
    var send = document.getElementById("as-send");
    send.disabled = true;
    fetch(endpoint, {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-Chat-Channel": channel},
      body: JSON.stringify(payload),
      credentials: "omit"
    }).then(function (response) {
      return response.json().then(function (data) { return {status: response.status, data: data}; });
    }).then(function (result) {
      if (result.status === 404 && conversation) {
        conversation = null;
        if (store) { store.removeItem("motcua-assistant"); }
      }
      if (result.status !== 200) {
        error.textContent = result.status === 429 ? error.getAttribute("data-busy") : (result.data.detail || error.getAttribute("data-failed"));
        error.hidden = false;
        return;
      }
      conversation = result.data.conversation;
      if (store) { store.setItem("motcua-assistant", conversation); }
      var item = add("assistant", result.data.reply, result.data.procedures);
      item.setAttribute("data-intent", result.data.intent);
    }).catch(function () {
      error.textContent = error.getAttribute("data-failed");
      error.hidden = false;
    }).then(function () {
      send.disabled = false;
      input.focus();
    });
  });
})();

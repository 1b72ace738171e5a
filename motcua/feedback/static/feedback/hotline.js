// Hotline console: while the operator types, show the caller's earlier reports, category suggestions and
// the resolved ward/unit. No inline script (CSP); plain fetch against /staff/feedback/hotline/lookup/.
(function () {
  var root = document.getElementById("hotline");
  if (!root) return;
  var url = root.getAttribute("data-lookup");
  var phone = document.getElementById("id_phone");
  var text = document.getElementById("id_description");
  var address = document.getElementById("id_address");
  var category = document.getElementById("id_category");
  var timer = null;

  function li(textContent, href) {
    var item = document.createElement("li");
    if (href) {
      var a = document.createElement("a");
      a.href = href; a.textContent = textContent; item.appendChild(a);
    } else { item.textContent = textContent; }
    return item;
  }

  function lookup() {
    // the unit shown is the real routing's answer for the category chosen (else the first suggestion)
    var q = new URLSearchParams({
      phone: phone.value, text: text.value, address: address.value, category: category.value
    });
    fetch(url + "?" + q.toString(), { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        var earlier = document.getElementById("fb-earlier");
        earlier.replaceChildren();
        data.earlier.forEach(function (r) {
          earlier.appendChild(li(r.code + " · " + r.received + " · " + r.category + " · " + r.status, r.url));
        });
        var cats = document.getElementById("fb-cats");
        cats.replaceChildren();
        data.categories.forEach(function (c) {
          var item = li(c.name);
          var b = document.createElement("button");
          b.type = "button"; b.className = "btn secondary"; b.textContent = "✓";
          b.addEventListener("click", function () { category.value = c.code; lookup(); });
          item.appendChild(b); cats.appendChild(item);
        });
        if (data.categories.length && !category.value) category.value = data.categories[0].code;
        document.getElementById("fb-place").textContent =
          (data.ward ? data.ward.name : "—") + (data.unit ? " → " + data.unit : "");
      }).catch(function () {});
  }

  [phone, text, address].forEach(function (el) {
    el.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 300); });
  });
  category.addEventListener("change", lookup);
})();

// The address picker with JavaScript: choosing a province, regency or district fetches the
// next list from /api/v1/regions/<code>/children and fills it in place; choosing a village
// suggests its postal code. Without JavaScript the "Lanjut" buttons do the same on the server.
(function () {
  "use strict";
  var picker = document.querySelector(".region-picker");
  if (!picker || !window.fetch) { return; }
  document.documentElement.classList.add("js");
  var base = picker.getAttribute("data-regions-url");
  var order = ["province_code", "regency_code", "district_code", "village_code"];
  var postal = document.getElementById("f-postal_code");

  function step(key) { return picker.querySelector('[data-level="' + key + '"]'); }
  function select(key) { return document.getElementById("f-" + key); }

  function clearFrom(index) {
    for (var i = index; i < order.length; i++) {
      var el = select(order[i]);
      while (el.options.length > 1) { el.remove(1); }
      el.value = "";
      el.disabled = true;
      step(order[i]).hidden = true;
    }
  }

  function fill(key, items) {
    var el = select(key);
    items.forEach(function (item) {
      var option = new Option(item.name, item.code);
      if (item.postal_code) { option.setAttribute("data-postal-code", item.postal_code); }
      el.add(option);
    });
    el.disabled = false;
    step(key).hidden = false;
  }

  order.forEach(function (key, index) {
    select(key).addEventListener("change", function (event) {
      var code = event.target.value;
      if (key === "village_code") {
        var chosen = event.target.selectedOptions[0];
        var suggested = chosen && chosen.getAttribute("data-postal-code");
        // fill an empty postal code, or replace the one suggested before; never a typed one
        if (suggested && postal && (!postal.value || postal.value === postal.getAttribute("data-suggested"))) {
          postal.value = suggested;
          postal.setAttribute("data-suggested", suggested);
        }
        return;
      }
      clearFrom(index + 1);
      if (!code) { return; }
      var next = order[index + 1];
      fetch(base + "/" + encodeURIComponent(code) + "/children", { headers: { Accept: "application/json" } })
        .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
        .then(function (body) { fill(next, body.items); })
        .catch(function () { picker.classList.remove("js"); document.documentElement.classList.remove("js"); });
    });
  });
}());

// Adding to the cart from a list (home, catalogue, facility and promotion pages, product
// page) without leaving the page: the form is sent with fetch, the header count is updated
// and a short status message is read out. Without JavaScript the form posts and the shop
// redirects back to the same card by its anchor.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) { return; }
  var status = document.createElement("p");
  status.className = "toast";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  document.body.appendChild(status);
  var timer = null;

  function tell(message, failed) {
    status.textContent = message;
    status.classList.toggle("toast-error", !!failed);
    clearTimeout(timer);
    timer = setTimeout(function () { status.textContent = ""; }, 4000);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute("action") || "";
    if (!/\/cart\/add$/.test(action) || form.method.toLowerCase() !== "post") { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) { button.disabled = true; }
    fetch(action, {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return [response.ok, data]; });
    }).then(function (result) {
      var ok = result[0], data = result[1];
      if (typeof data.count === "number") {
        document.querySelectorAll(".cart-count").forEach(function (badge) {
          badge.textContent = String(data.count);
        });
      }
      tell(data.message || "", !ok);
    }).catch(function () {
      form.submit();  // no answer from the shop: fall back to the plain form
    }).then(function () {
      if (button) { button.disabled = false; }
    });
  });
}());

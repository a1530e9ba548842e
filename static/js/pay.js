// Confirms the card payment with Stripe.js (or localstripe's fake Stripe.js offline), then
// goes to the return page, which asks the server for the payment's state.
(function () {
  "use strict";
  var config = document.getElementById("pay-config");
  if (!config || typeof Stripe === "undefined") { return; }
  var stripe = Stripe(config.dataset.stripeKey);
  var message = document.getElementById("pay-message");
  var returnUrl = config.dataset.returnUrl;

  function show(result) {
    if (result.error) {
      if (message) { message.textContent = result.error.message || "Pembayaran gagal. Coba lagi."; }
      return false;
    }
    window.location.assign(returnUrl);
    return true;
  }

  if (config.dataset.mode === "offline") {
    if (config.dataset.authenticate) {
      stripe.confirmCardPayment(config.dataset.clientSecret).then(show);
    }
    return;
  }

  var card = stripe.elements().create("card", { hidePostalCode: true });
  card.mount("#card-element");
  var form = document.getElementById("card-form");
  var button = document.getElementById("pay-button");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    stripe.confirmCardPayment(config.dataset.clientSecret, { payment_method: { card: card } })
      .then(function (result) { if (!show(result)) { button.disabled = false; } });
  });
})();

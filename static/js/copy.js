// Copy buttons (the bank transfer's account number and exact amount). Without JavaScript the
// values stay plain, selectable text; with it, a click copies the digits and says so.
(function () {
  "use strict";
  var status = document.querySelector(".copy-status");

  function fallback(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.className = "visually-hidden";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text); });
    }
    return fallback(text);
  }

  function done(button) {
    var label = button.dataset.label || button.textContent;
    button.dataset.label = label;
    button.textContent = button.dataset.copied;
    button.classList.add("is-copied");
    if (status) { status.textContent = button.dataset.copied + ": " + button.dataset.copy; }
    window.setTimeout(function () {
      button.textContent = label;
      button.classList.remove("is-copied");
    }, 2000);
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      copy(button.dataset.copy).then(function () { done(button); }, function () {
        var value = document.getElementById(button.getAttribute("aria-describedby"));
        if (value && window.getSelection) {  // could not copy: select it for the customer
          var range = document.createRange();
          range.selectNodeContents(value);
          window.getSelection().removeAllRanges();
          window.getSelection().addRange(range);
        }
      });
    });
  });
})();

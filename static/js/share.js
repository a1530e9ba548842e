// Share links (.share-link): where the browser has the Web Share API (phones), a tap opens
// the system share sheet; elsewhere, and without JavaScript, the link opens WhatsApp.
(function () {
  "use strict";
  if (!navigator.share) { return; }
  document.querySelectorAll(".share-link").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var data = {
        title: link.getAttribute("data-share-title") || document.title,
        text: link.getAttribute("data-share-text") || "",
        url: link.getAttribute("data-share-url") || location.href
      };
      if (navigator.canShare && !navigator.canShare(data)) { return; }
      event.preventDefault();
      navigator.share(data).catch(function () { /* dismissed: nothing to do */ });
    });
  });
}());

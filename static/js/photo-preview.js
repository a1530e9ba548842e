// The product form's photo preview: the chosen file, before it is uploaded, in the cards' 4:3
// frame both ways ("Pas": the whole photo on white, object-fit contain; "Penuh": cropped,
// object-fit cover), from a local object URL (the CSP allows blob: images, nothing else new).
// A photo far from 4:3 (a portrait) preselects "Pas" unless the staff already chose; the rule
// and its threshold are the server's (shop.media.images.default_framing). Without JavaScript
// the form works as it is and the server makes the same choice.
(function () {
  "use strict";
  var group = document.querySelector(".framing-choice[data-photo-input]");
  if (!group || !window.URL || !URL.createObjectURL) { return; }
  var input = document.getElementById(group.dataset.photoInput);
  if (!input) { return; }
  var frames = Array.prototype.slice.call(group.querySelectorAll("[data-framing-frame]"));
  var radios = Array.prototype.slice.call(group.querySelectorAll("input[type=radio]"));
  var status = group.querySelector("[data-framing-status]");
  var maxCrop = parseFloat(group.dataset.maxCrop) || 0.2;
  // A choice already on the page (the form came back with an error) was the staff's own.
  var chosenByHand = radios.some(function (radio) { return radio.checked; });
  var url = null;

  radios.forEach(function (radio) {
    radio.addEventListener("change", function () { chosenByHand = true; });
  });

  function cropShare(width, height) {
    var ratio = width / height, frame = 4 / 3;
    return 1 - Math.min(ratio, frame) / Math.max(ratio, frame);
  }

  function say(text) { if (status) { status.textContent = text || ""; } }

  function clear() {
    if (url) { URL.revokeObjectURL(url); url = null; }
    frames.forEach(function (frame) { frame.hidden = true; frame.textContent = ""; });
  }

  function suggest(image) {
    var fit = cropShare(image.naturalWidth, image.naturalHeight) > maxCrop;
    if (!chosenByHand) {
      radios.forEach(function (radio) { radio.checked = radio.value === (fit ? "fit" : "fill"); });
    }
    say(fit ? group.dataset.msgFit : group.dataset.msgFill);
  }

  function show(file) {
    clear();
    url = URL.createObjectURL(file);
    var images = frames.map(function (frame) {
      var image = document.createElement("img");
      image.alt = "";
      image.src = url;
      frame.appendChild(image);
      frame.hidden = false;
      return image;
    });
    images[0].addEventListener("load", function () { suggest(images[0]); });
    images[0].addEventListener("error", function () { clear(); say(group.dataset.msgError); });
  }

  function update() {
    var file = input.files && input.files[0];
    if (!file) { clear(); say(""); return; }
    if (!/^image\//.test(file.type)) { clear(); say(group.dataset.msgError); return; }
    show(file);
  }

  input.addEventListener("change", update);
  if (input.files && input.files.length) { update(); }  // a file kept by "back"
})();

// dach web app: progressive enhancement only (everything works without this file).
// - drag and drop onto the upload zone fills the file input and shows the chosen names;
// - focusing a field on the review screen highlights its box on the page image;
// - a batch panel whose long poll failed (network, server restart) asks again two seconds later.
// No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  function showChosen(zone, input) {
    var out = zone.querySelector("[data-chosen]");
    if (!out) { return; }
    var names = [];
    for (var i = 0; i < input.files.length; i++) { names.push(input.files[i].name); }
    out.textContent = names.join(", ");  // textContent: file names are never parsed as HTML
  }

  function setUpDropzone(zone) {
    var input = zone.querySelector("input[type=file]");
    if (!input) { return; }
    input.addEventListener("change", function () { showChosen(zone, input); });
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (event) {
        event.preventDefault();
        zone.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function () { zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        showChosen(zone, input);
      }
    });
  }

  function highlight(event, on) {
    var target = event.target;
    if (!target || !target.dataset || !target.dataset.box) { return; }
    // a field of an identity document has a box in each zone (MRZ and visual zone): light up all of them
    target.dataset.box.split(" ").forEach(function (id) {
      var box = id && document.getElementById(id);
      if (box) { box.classList.toggle("active", on); }
    });
  }

  function retryPoll(event) {
    var elt = event.detail && event.detail.elt;
    var status = event.detail && event.detail.xhr ? event.detail.xhr.status : 0;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-poll") && (status === 0 || status >= 500)) {
      window.setTimeout(function () { htmx.trigger(elt, "dach-retry"); }, 2000);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.body.addEventListener("htmx:sendError", retryPoll);
    document.body.addEventListener("htmx:responseError", retryPoll);
    document.querySelectorAll("[data-dropzone]").forEach(setUpDropzone);
    document.addEventListener("focusin", function (e) { highlight(e, true); });
    document.addEventListener("focusout", function (e) { highlight(e, false); });
    document.body.addEventListener("htmx:afterRequest", function (event) {
      var form = event.detail && event.detail.elt;
      if (form && form.id === "upload" && event.detail.successful) {
        form.reset();
        var chosen = form.querySelector("[data-chosen]");
        if (chosen) { chosen.textContent = ""; }
        var empty = document.querySelector("[data-empty]");
        if (empty) { empty.remove(); }
      }
    });
  });
})();

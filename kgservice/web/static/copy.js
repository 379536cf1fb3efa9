// Copy buttons (progressive enhancement): a <button data-copy="text" data-copied="label" hidden>
// is shown only when this script runs; a press copies its data-copy text to the clipboard and
// says so (data-state="copied", the button's text becomes data-copied). Without JavaScript the
// text beside it (the concept URI as a link) stays selectable.
(function () {
  "use strict";
  function copied(button) {
    if (!button.dataset.label) {
      button.dataset.label = button.textContent;
    }
    button.textContent = button.dataset.copied || button.dataset.label;
    button.dataset.state = "copied";
  }
  function copyText(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand("copy");
    document.body.removeChild(area);
    return Promise.resolve();
  }
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      copyText(button.dataset.copy).then(function () { copied(button); }, function () {
        button.dataset.state = "failed";
      });
    });
  });
})();

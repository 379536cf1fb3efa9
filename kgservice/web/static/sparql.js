/* SPARQL query page: Ctrl+Enter (or Cmd+Enter) in the editor runs the query.
 * The page works without it (the form is a plain GET to /sparql). */
(function () {
  "use strict";
  var editor = document.getElementById("query");
  var form = document.getElementById("sparql-form");
  if (!editor || !form) { return; }
  editor.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
})();

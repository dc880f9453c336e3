/* Switching the emphasis re-ranks at once (no inline handlers: the CSP forbids them). */
(function () {
  "use strict";
  var select = document.getElementById("emphasis");
  if (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  }
})();

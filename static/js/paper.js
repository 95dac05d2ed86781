// The print button of the printable pages (inline scripts are not allowed by the content security policy).
"use strict";

document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});

/*
 * On the sign-in page: derives the field app's store key from the name and
 * password being submitted and keeps it in this tab's sessionStorage
 * (crypto.js), so the field app opens its encrypted store without asking
 * again. The password itself is never stored. Without WebCrypto (a page not
 * served over HTTPS) the form is submitted as it is.
 */

import { deriveKeyBytes, rememberKey } from "./crypto.js";

const form = document.querySelector("form[data-field-key]");

if (form && window.crypto && window.crypto.subtle) {
  form.addEventListener("submit", async (event) => {
    if (form.dataset.keyed) {
      return;
    }
    event.preventDefault();
    const username = form.elements.username.value;
    const password = form.elements.password.value;
    if (username && password) {
      rememberKey(username, await deriveKeyBytes(username, password));
    }
    form.dataset.keyed = "1";
    form.requestSubmit();
  });
}

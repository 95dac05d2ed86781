/*
 * Signing out wipes the field app's store on this device (every page loads
 * this file: the sign-out button is in the top bar). When writes are still
 * waiting to be sent, the user is asked first: they would be lost.
 */

import { DB_NAME, openDatabase, readMeta, wipe } from "./store.js";

async function storeExists() {
  const databases = await indexedDB.databases();
  return databases.some((database) => database.name === DB_NAME);
}

async function pendingWrites() {
  if (!(await storeExists())) {
    return 0;
  }
  const db = await openDatabase();
  const meta = await readMeta(db);
  db.close();
  return meta.pending || 0;
}

document.addEventListener("submit", async (event) => {
  const form = event.target;
  if (!form.matches("form[data-logout], form[action$='/logout']") || form.dataset.wiped) {
    return;
  }
  event.preventDefault();
  const script = document.querySelector("script[data-field-logout]");
  const pending = await pendingWrites();
  if (pending && !window.confirm(script.dataset.pendingText.replace("{n}", pending))) {
    return;
  }
  await wipe(null);
  form.dataset.wiped = "1";
  if (navigator.onLine) {
    form.submit();
  } else {
    window.location.reload();
  }
});

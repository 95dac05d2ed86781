/*
 * The field app: opens the encrypted store (or asks for the password to
 * unlock it), draws the screen for the address's #hash, and syncs — on
 * opening, when the connection returns, every few minutes and on demand:
 * first the outbox is sent in order, then the caseload delta is fetched.
 */

import { Offline, SignedOut, isOnline, probeSession } from "./api.js";
import { deriveKeyBytes, importKey, makeCheck, rememberKey, sessionKey, verifyCheck } from "./crypto.js";
import { FeedRefused, pull } from "./feed.js";
import { buildForm } from "./forms.js";
import { ServerTrouble, Throttled, WAITING, flush } from "./outbox.js";
import { Vault, openDatabase, readMeta, wipe, writeMeta } from "./store.js";
import { caseView, caseload, h, head, syncStatus } from "./views.js";

const PAGE = JSON.parse(document.getElementById("field-data").textContent);
const SYNC_EVERY_MS = 3 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const view = document.getElementById("view");
const ctx = { labels: PAGE.labels, reference: { services: [] }, meta: {} };
let syncing = false;
let again = false;
// After a 429: no request before this time (Retry-After), whoever asks.
let notBefore = 0;

ctx.t = (name) => PAGE.text[name] || name;
ctx.fieldLabel = (name) => PAGE.text["field_" + name] || name;
ctx.navigate = (hash) => {
  if (window.location.hash === hash) {
    render();
  } else {
    window.location.hash = hash;
  }
};
ctx.refresh = () => render();
ctx.form = (id, context, record) => buildForm(ctx, id, context, record);
/** Runs a form's save, then redraws and syncs; a save answering false saved nothing and keeps its form as it is. */
ctx.act = async (change) => {
  if ((await change()) === false) {
    return;
  }
  await render();
  sync();
};

function say(message) {
  document.getElementById("field-notice").textContent = message;
}

async function showPending() {
  const count = ctx.vault ? await ctx.vault.countPending() : 0;
  const badge = document.getElementById("pending-count");
  badge.textContent = ctx.t("pending").replace("{n}", count);
  badge.dataset.count = count;
  document.getElementById("net-state").textContent = ctx.t(isOnline() ? "online" : "offline");
}

const ROUTES = [
  [/^#?(kasus)?$/, () => caseload(ctx)],
  [/^#kasus\/([\w-]+)$/, (uuid) => caseView(ctx, uuid)],
  [/^#klien-baru$/, () => [head(ctx.t("new_client")), ctx.form("tpl-client")]],
  [/^#kasus-baru\/([\w-]+)$/, async (uuid) => [head(ctx.t("new_case")), h("p", {}, ((await ctx.vault.get("clients", uuid)) || {}).full_name || ""), ctx.form("tpl-case", { client_uuid: uuid })]],
  [/^#ubah-kasus\/([\w-]+)$/, async (uuid) => [head(ctx.t("edit_intake")), ctx.form("tpl-case-edit", { uuid }, await ctx.vault.get("cases", uuid))]],
  [/^#temuan-baru$/, () => [head(ctx.t("new_finding")), ctx.form("tpl-finding")]],
  [/^#sinkron$/, () => syncStatus(ctx)],
];

async function render() {
  if (!ctx.vault) {
    return;
  }
  const hash = window.location.hash;
  const [pattern, draw] = ROUTES.find(([route]) => route.test(hash)) || ROUTES[0];
  const match = hash.match(pattern) || [];
  ctx.meta = await readMeta(ctx.vault.db);
  const reference = await ctx.vault.get("reference", "all");
  ctx.reference = { services: [], ...(reference || {}) };
  ctx.role = ((await ctx.vault.get("settings", "user")) || {}).role || ctx.role;
  document.body.dataset.role = ctx.role || "";
  view.replaceChildren(...[await draw(match[1])].flat(Infinity).filter(Boolean));
  document.querySelectorAll("[data-route]").forEach((link) => link.toggleAttribute("aria-current", hash.startsWith(link.getAttribute("href"))));
  await showPending();
}

/**
 * Sends the outbox, then fetches the caseload. Never throws: the outcome is shown to the user.
 * Asked again while running (a decision taken meanwhile), it runs once more when the current run ends.
 */
async function sync() {
  if (syncing) {
    again = true;
    return;
  }
  if (!ctx.vault || !isOnline() || Date.now() < notBefore) {
    return;
  }
  syncing = true;
  document.body.classList.add("syncing");
  try {
    const user = await probeSession();
    document.getElementById("sign-in-again").hidden = true;
    document.getElementById("logout-csrf").value = user.csrf;
    ctx.role = user.role;
    await flush(ctx.vault);
    await pull(ctx.vault, await readMeta(ctx.vault.db));
    const held = (await ctx.vault.queued()).filter((item) => item.state !== WAITING).length;
    say(held ? ctx.t("needs_decision").replace("{n}", held) : ctx.t("synced"));
  } catch (error) {
    if (error instanceof Throttled) {
      notBefore = Date.now() + error.seconds * 1000;
      say(ctx.t("throttled").replace("{n}", error.seconds));
    } else if (error instanceof SignedOut) {
      say(ctx.t("signed_out"));
      document.getElementById("sign-in-again").hidden = false;
    } else if (error instanceof Offline) {
      say(ctx.t("offline_kept"));
    } else if (error instanceof ServerTrouble || error instanceof FeedRefused) {
      say(ctx.t("server_trouble") + " " + error.message);
    } else {
      throw error;
    }
  } finally {
    syncing = false;
    document.body.classList.remove("syncing");
    await render();
  }
  if (again) {
    again = false;
    await sync();
  }
}

/** The store for this tab's key; null when the password must be typed (a closed tab) or the key does not fit. */
async function unlock(db) {
  const meta = await readMeta(db);
  const limit = (meta.maxDays || 7) * DAY_MS;
  if (meta.username && Date.now() - (meta.lastSync || meta.createdAt || 0) > limit) {
    await wipe(db);
    say(ctx.t("expired"));
    return unlock(await openDatabase(closed));
  }
  const session = await sessionKey();
  if (session && meta.username && meta.username !== session.username) {
    await wipe(db);
    say(ctx.t("other_user_wiped"));
    return unlock(await openDatabase(closed));
  }
  if (session && !meta.username) {
    await writeMeta(db, { username: session.username, check: await makeCheck(session.key), createdAt: Date.now(), pending: 0 });
    return new Vault(db, session.key);
  }
  if (session && (await verifyCheck(session.key, meta.check))) {
    return new Vault(db, session.key);
  }
  showLock(db, meta);
  return null;
}

function showLock(db, meta) {
  const lock = document.getElementById("tpl-unlock").content.firstElementChild.cloneNode(true);
  const setup = !meta.username;
  lock.querySelector("[data-setup]").hidden = !setup;
  lock.querySelector("[data-unlock]").hidden = setup;
  lock.querySelector("[data-username]").textContent = meta.username || "";
  lock.querySelector("form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const bytes = await deriveKeyBytes(meta.username, event.target.elements.password.value);
    if (!(await verifyCheck(await importKey(bytes), meta.check))) {
      lock.querySelector("[data-wrong]").hidden = false;
      return;
    }
    rememberKey(meta.username, bytes);
    start(db);
  });
  lock.querySelector("[data-wipe]").addEventListener("click", async () => {
    if (window.confirm(ctx.t("wipe_confirm"))) {
      await wipe(db);
      window.location.reload();
    }
  });
  view.replaceChildren(lock);
}

async function start(db) {
  ctx.vault = await unlock(db);
  if (!ctx.vault) {
    return;
  }
  document.body.classList.add("unlocked");
  await render();
  await sync();
}

document.addEventListener("click", (event) => {
  if (event.target.closest("[data-sync-now]")) {
    sync();
  }
});
window.addEventListener("hashchange", render);
window.addEventListener("online", () => {
  showPending();
  sync();
});
window.addEventListener("offline", () => {
  say(ctx.t("offline_kept"));
  showPending();
});
setInterval(sync, SYNC_EVERY_MS);

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register(PAGE.worker, { scope: PAGE.scope });
}
function closed() {
  ctx.vault = null;
  document.body.classList.remove("unlocked");
  view.replaceChildren(h("p", { class: "empty-state" }, ctx.t("wiped")));
}

openDatabase(closed).then(start);

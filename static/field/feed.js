/*
 * The caseload download (GET /api/v1/sync/caseload, docs/sync.md): a full
 * download the first time, then deltas from the stored cursor. Records
 * written on the device and not yet confirmed by the server (``local``) are
 * kept when a full download replaces the rest.
 */

import { send } from "./api.js";
import { recordKey, writeMeta } from "./store.js";

export const KINDS = ["cases", "clients", "deliveries", "notes", "tracing_requests", "aftercare_visits", "findings"];
const FEED = "/api/v1/sync/caseload";

/** Thrown when the server refuses the download; ``message`` is the server's (Indonesian) reason. */
export class FeedRefused extends Error {}

/**
 * Downloads the caseload into ``vault`` and returns the feed's settings.
 * Offline and SignedOut propagate from api.js.
 */
export async function pull(vault, meta) {
  const cursor = meta.cursor || null;
  let answer = await send("GET", cursor ? FEED + "?cursor=" + encodeURIComponent(cursor) : FEED);
  if (answer.status === 400 && answer.body && answer.body.error && answer.body.error.code === "bad_cursor") {
    answer = await send("GET", FEED);
  }
  if (answer.status !== 200) {
    const error = answer.body && answer.body.error;
    throw new FeedRefused(error ? error.message : String(answer.status));
  }
  await apply(vault, answer.body);
  const settings = answer.body.settings || {};
  await vault.put("settings", "user", settings.user || null);
  await writeMeta(vault.db, {
    cursor: answer.body.cursor,
    lastSync: Date.now(),
    maxDays: Number(settings.offline_max_days) || meta.maxDays || 7,
  });
  return settings;
}

async function apply(vault, feed) {
  const records = feed.records || {};
  const removed = feed.removed || {};
  for (const kind of KINDS) {
    if (feed.full) {
      await vault.clear(kind, (record) => record.local);
    }
    for (const record of records[kind] || []) {
      await vault.put(kind, recordKey(record), record);
    }
    for (const key of removed[kind] || []) {
      await vault.remove(kind, key);
    }
  }
  if (feed.reference) {
    await vault.put("reference", "all", feed.reference);
  }
}

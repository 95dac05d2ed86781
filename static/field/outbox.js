/*
 * The outbox: writes made on the device, sent in order when there is a
 * connection. Each keeps the record's device UUID (a repeat returns the
 * existing record, never a second one) and, for an update, the version it
 * was based on. What the server refuses stays in the outbox with its reason
 * ("failed"), its candidates ("duplicate") or the server's record
 * ("conflict") until the user decides; later writes that name a held
 * record wait behind it. Writes go in batches: one request (one round trip
 * on a slow field connection) carries up to 50 of them.
 */

import { send } from "./api.js";
import { recordKey } from "./store.js";
import { UploadAnswer, upload } from "./uploads.js";

export const WAITING = "waiting";
export const FAILED = "failed";
export const CONFLICT = "conflict";
export const DUPLICATE = "duplicate";
// Writes sent in one request; the server takes up to 100.
const BATCH_SIZE = 50;
const BATCH_PATH = "/api/v1/sync/batch";

/** Thrown when the server asks to wait (429); ``seconds`` from Retry-After. */
export class Throttled extends Error {
  constructor(seconds) {
    super("throttled");
    this.seconds = seconds;
  }
}

/** Thrown on a server error (5xx): the write stays waiting for the next attempt. */
export class ServerTrouble extends Error {}

/** Queues a write: {op, method, path, body, kind, uuid, refs, label, file?} (file: a kept photo to upload). */
export function queue(vault, write) {
  return vault.enqueue({ ...write, state: WAITING, error: null, current: null, queuedAt: Date.now() });
}

/**
 * The body to send: the JSON, with the version of the record ``versionOf`` names as the device holds it now
 * (a step queued behind another takes the version the one before came back with), naming for a write with a
 * photo its finished resumable upload (sent first).
 */
async function requestBody(vault, item) {
  if (item.versionOf) {
    item.body = { ...item.body, version: (await vault.get("cases", item.versionOf)).version };
    await vault.replace(item);
  }
  if (!item.file) {
    return item.body;
  }
  if (!item.file.uploaded) {
    await upload(item.file.uuid, await vault.getFile(item.file.uuid), item.file.type);
    item.file.uploaded = true;
    await vault.replace(item);
  }
  const named = item.file.json === "uploads" ? [item.file.uuid] : item.file.uuid;
  return { ...item.body, [item.file.json]: named };
}

/** True when the server's record already holds every value this update sent (a lost answer, resent). */
function alreadyApplied(item, current) {
  return Object.entries(item.body).every(([name, value]) => name === "version" || current[name] === value);
}

async function accept(vault, item, record) {
  if (item.kind && record && recordKey(record)) {
    const parent = item.parent ? { [item.parent.field]: item.parent.uuid } : {};
    await vault.put(item.kind, recordKey(record), { ...record, ...parent });
  }
  if (item.file) {
    await vault.removeFile(item.file.uuid);
  }
  await vault.dequeue(item.id);
}

async function hold(vault, item, state, error, current) {
  await vault.replace({ ...item, state, error, current });
}

/**
 * The next writes to send together, in queue order: {writes: [{item, body, uploadedBefore}], refused}, where
 * ``refused`` is the write after them whose photo the server would not take ({item, answer}), or null. Skips held
 * writes and the writes that name them; ends before a write whose version comes from the answers before it
 * (``versionOf``), so its body is built once they are in.
 */
async function nextBatch(vault, held) {
  const writes = [];
  for (const item of await vault.queued()) {
    if (item.state !== WAITING || (item.refs || []).some((uuid) => held.has(uuid))) {
      held.add(item.uuid);
      continue;
    }
    if (writes.length >= BATCH_SIZE || (item.versionOf && writes.length)) {
      break;
    }
    const uploadedBefore = Boolean(item.file && item.file.uploaded);
    try {
      writes.push({ item, body: await requestBody(vault, item), uploadedBefore });
    } catch (error) {
      if (!(error instanceof UploadAnswer)) {
        throw error;
      }
      return { writes, refused: { item, answer: error.answer } };
    }
  }
  return { writes, refused: null };
}

/** Sends ``batch`` in one request; the answers of the writes run, in order (fewer when one did not succeed). */
async function sendBatch(batch) {
  const writes = batch.map(({ item, body }) => ({ method: item.method, path: item.path, body }));
  const answer = await send("POST", BATCH_PATH, { writes });
  if (answer.status === 429) {
    throw new Throttled(answer.retryAfter || 30);
  }
  if (answer.status !== 200 || !answer.body || !(answer.body.results || []).length) {
    throw new ServerTrouble(String(answer.status));
  }
  return answer.body.results;
}

/** Takes the server's answer to one write: kept, or held with its reason. True when the write is done. */
async function settle(vault, item, answer, held) {
  const error = answer.body && answer.body.error;
  if (answer.status === 200 || answer.status === 201) {
    await accept(vault, item, answer.body);
    return true;
  }
  if (answer.status === 429) {
    throw new Throttled(answer.retryAfter || 30);
  }
  if (answer.status >= 500) {
    throw new ServerTrouble(String(answer.status));
  }
  if (answer.status === 409 && error && error.code === "possible_duplicate") {
    await hold(vault, item, DUPLICATE, error, error.current);
  } else if (answer.status === 409 && error && error.current && item.body.version !== undefined) {
    if (alreadyApplied(item, error.current)) {
      await accept(vault, item, error.current);
      return true;
    }
    await hold(vault, item, CONFLICT, error, error.current);
  } else {
    await hold(vault, item, FAILED, error || { message: String(answer.status) }, null);
  }
  held.add(item.uuid);
  return false;
}

/**
 * Sends the waiting writes in order, up to ``BATCH_SIZE`` a request (``POST /api/v1/sync/batch``: the server
 * runs each as if sent alone and stops at the first that does not succeed). Returns how many were sent.
 * Offline, SignedOut (api.js), Throttled and ServerTrouble stop the run; nothing is lost.
 */
export async function flush(vault) {
  const held = new Set();
  const photoResent = new Set();
  let sent = 0;
  for (;;) {
    const { writes, refused } = await nextBatch(vault, held);
    if (!writes.length && !refused) {
      return sent;
    }
    const answers = writes.length ? await sendBatch(writes) : [];
    for (const [index, answer] of answers.entries()) {
      const { item, uploadedBefore } = writes[index];
      if (answer.status === 422 && uploadedBefore && !photoResent.has(item.id)) {
        // The upload finished in an earlier run may have expired on the server (a day): send the photo again, once.
        photoResent.add(item.id);
        item.file.uploaded = false;
        await vault.replace(item);
      } else if (await settle(vault, item, answer, held)) {
        sent += 1;
      }
    }
    if (refused) {
      // Held with the upload's refusal (too large, a type the server does not take): nothing was sent for it.
      await settle(vault, refused.item, refused.answer, held);
    }
  }
}

/** Puts a held write back in the queue, optionally with a new body (a resolved conflict, confirm_new). */
export function retry(vault, item, body) {
  return vault.replace({ ...item, body: body || item.body, state: WAITING, error: null, current: null });
}

/**
 * "Same person": the device's new client ``item`` is ``existingUuid``. Every queued write naming the new
 * client is rewritten to the existing one, the new client's registration and local record are dropped.
 */
export async function linkToExisting(vault, item, existingUuid) {
  const newUuid = item.uuid;
  for (const other of await vault.queued()) {
    if (other.id === item.id || !(other.refs || []).includes(newUuid)) {
      continue;
    }
    const swap = (text) => String(text).split(newUuid).join(existingUuid);
    const body = JSON.parse(swap(JSON.stringify(other.body)));
    await vault.replace({ ...other, path: swap(other.path), body, refs: other.refs.map(swap) });
  }
  for (const local of await vault.all("cases")) {
    if (local.client_uuid === newUuid) {
      await vault.put("cases", local.uuid, { ...local, client_uuid: existingUuid });
    }
  }
  await vault.remove("clients", newUuid);
  await vault.dequeue(item.id);
}

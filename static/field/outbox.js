/*
 * The outbox: writes made on the device, sent in order when there is a
 * connection. Each keeps the record's device UUID (a repeat returns the
 * existing record, never a second one) and, for an update, the version it
 * was based on. What the server refuses stays in the outbox with its reason
 * ("failed"), its candidates ("duplicate") or the server's record
 * ("conflict") until the user decides; later writes that name a held
 * record wait behind it.
 */

import { send } from "./api.js";
import { recordKey } from "./store.js";
import { UploadAnswer, upload } from "./uploads.js";

export const WAITING = "waiting";
export const FAILED = "failed";
export const CONFLICT = "conflict";
export const DUPLICATE = "duplicate";

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

/** Sends one write (its photo first when it has one); the server's answer, or an upload's refusal. */
async function attempt(vault, item) {
  try {
    return await send(item.method, item.path, await requestBody(vault, item));
  } catch (error) {
    if (!(error instanceof UploadAnswer)) {
      throw error;
    }
    return error.answer;
  }
}

/**
 * Sends the waiting writes in order. Returns how many were sent.
 * Offline, SignedOut (api.js), Throttled and ServerTrouble stop the run; nothing is lost.
 */
export async function flush(vault) {
  const held = new Set();
  let sent = 0;
  for (const item of await vault.queued()) {
    if (item.state !== WAITING || (item.refs || []).some((uuid) => held.has(uuid))) {
      held.add(item.uuid);
      continue;
    }
    const uploadedBefore = Boolean(item.file && item.file.uploaded);
    let answer = await attempt(vault, item);
    if (answer.status === 422 && uploadedBefore) {
      // The upload finished in an earlier run may have expired on the server (a day): send the photo again, once.
      item.file.uploaded = false;
      await vault.replace(item);
      answer = await attempt(vault, item);
    }
    const error = answer.body && answer.body.error;
    if (answer.status === 200 || answer.status === 201) {
      await accept(vault, item, answer.body);
      sent += 1;
    } else if (answer.status === 429) {
      throw new Throttled(answer.retryAfter || 30);
    } else if (answer.status >= 500) {
      throw new ServerTrouble(String(answer.status));
    } else if (answer.status === 409 && error && error.code === "possible_duplicate") {
      await hold(vault, item, DUPLICATE, error, error.current);
      held.add(item.uuid);
    } else if (answer.status === 409 && error && error.current && item.body.version !== undefined) {
      if (alreadyApplied(item, error.current)) {
        await accept(vault, item, error.current);
        sent += 1;
      } else {
        await hold(vault, item, CONFLICT, error, error.current);
        held.add(item.uuid);
      }
    } else {
      await hold(vault, item, FAILED, error || { message: String(answer.status) }, null);
      held.add(item.uuid);
    }
  }
  return sent;
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

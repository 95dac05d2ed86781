/*
 * The device's store (IndexedDB "casework-field"). Everything personal is
 * sealed with the user's key (crypto.js); only "meta" is plain: who owns the
 * store, the check value, when it last synced, how many writes wait. That is
 * what the logout hook and the offline limit need without the key.
 *
 * Object stores: meta (key → value), records ("kind/uuid" → sealed record),
 * outbox (auto id → sealed write, sent in id order), files (uuid → sealed bytes).
 */

import { forgetKey, open, openBytes, seal, sealBytes } from "./crypto.js";

export const DB_NAME = "casework-field";
function done(request) {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/** Opens (creating when needed) the database; another tab's wipe closes it and calls ``onClosed``. */
export function openDatabase(onClosed) {
  const request = indexedDB.open(DB_NAME, 1);
  request.onupgradeneeded = () => {
    const db = request.result;
    db.createObjectStore("meta");
    db.createObjectStore("records");
    db.createObjectStore("outbox", { autoIncrement: true });
    db.createObjectStore("files");
  };
  return done(request).then((db) => {
    db.onversionchange = () => {
      db.close();
      if (onClosed) {
        onClosed();
      }
    };
    return db;
  });
}

/** Deletes the whole store and this tab's key (logout, offline limit, another user's data). */
export async function wipe(db) {
  forgetKey();
  if (db) {
    db.close();
  }
  await done(indexedDB.deleteDatabase(DB_NAME));
}

function tx(db, name, mode) {
  return db.transaction(name, mode).objectStore(name);
}

/** The plain meta values as one object. */
export async function readMeta(db) {
  const store = tx(db, "meta", "readonly");
  const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
  return Object.fromEntries(keys.map((key, index) => [key, values[index]]));
}

/** Sets plain meta values. */
export function writeMeta(db, values) {
  const transaction = db.transaction("meta", "readwrite");
  Object.entries(values).forEach(([key, value]) => transaction.objectStore("meta").put(value, key));
  return new Promise((resolve, reject) => {
    transaction.oncomplete = resolve;
    transaction.onerror = () => reject(transaction.error);
  });
}

/** A record's key in its kind: its uuid, or its id for records that have none (aftercare visits). */
export function recordKey(record) {
  return record.uuid || record.id;
}

/** The unlocked store: sealed records, the outbox and files under one key. */
export class Vault {
  constructor(db, key) {
    this.db = db;
    this.key = key;
  }

  async put(kind, uuid, record) {
    const box = await seal(this.key, record);
    return done(tx(this.db, "records", "readwrite").put(box, kind + "/" + uuid));
  }

  async get(kind, uuid) {
    const box = await done(tx(this.db, "records", "readonly").get(kind + "/" + uuid));
    return box ? open(this.key, box) : null;
  }

  remove(kind, uuid) {
    return done(tx(this.db, "records", "readwrite").delete(kind + "/" + uuid));
  }

  /** Every record of ``kind`` ("cases", "clients", …), decrypted. */
  async all(kind) {
    const range = IDBKeyRange.bound(kind + "/", kind + "/\uffff");
    const boxes = await done(tx(this.db, "records", "readonly").getAll(range));
    return Promise.all(boxes.map((box) => open(this.key, box)));
  }

  /** Drops every record of ``kind`` except those ``keep`` accepts. */
  async clear(kind, keep) {
    const records = await this.all(kind);
    await Promise.all(records.filter((record) => !keep(record)).map((record) => this.remove(kind, recordKey(record))));
  }

  /** Queues a write; returns its id. */
  async enqueue(item) {
    const id = await done(tx(this.db, "outbox", "readwrite").add(await seal(this.key, item)));
    await this.countPending();
    return id;
  }

  /** The queued writes in order, each with its ``id``. */
  async queued() {
    const store = tx(this.db, "outbox", "readonly");
    const [keys, boxes] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
    const items = await Promise.all(boxes.map((box) => open(this.key, box)));
    return items.map((item, index) => ({ ...item, id: keys[index] }));
  }

  async replace(item) {
    const { id, ...rest } = item;
    await done(tx(this.db, "outbox", "readwrite").put(await seal(this.key, rest), id));
    await this.countPending();
  }

  async dequeue(id) {
    await done(tx(this.db, "outbox", "readwrite").delete(id));
    await this.countPending();
  }

  /** Keeps the plain count of waiting writes in meta, for the logout warning. */
  async countPending() {
    const count = await done(tx(this.db, "outbox", "readonly").count());
    await writeMeta(this.db, { pending: count });
    return count;
  }

  async putFile(uuid, bytes) {
    return done(tx(this.db, "files", "readwrite").put(await sealBytes(this.key, bytes), uuid));
  }

  async getFile(uuid) {
    const box = await done(tx(this.db, "files", "readonly").get(uuid));
    return box ? openBytes(this.key, box) : null;
  }

  removeFile(uuid) {
    return done(tx(this.db, "files", "readwrite").delete(uuid));
  }
}

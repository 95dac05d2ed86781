/*
 * The device store's key: AES-GCM 256, derived with PBKDF2-SHA-256 from the
 * password typed at sign-in and the user name (the salt), never sent or kept
 * on disk. Its bytes live in this tab's sessionStorage only, so a reload
 * keeps the store open and a closed tab locks it (docs/offline.md).
 */

const SESSION_KEY = "casework.field.key";
const ITERATIONS = 310000;
const CHECK_TEXT = "casework-field-check";
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The user name as the key's salt knows it: trimmed and lower-cased. */
export function normalUsername(username) {
  return String(username || "").trim().toLowerCase();
}

function toBase64(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)));
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
}

/** The raw 32 key bytes for ``username`` and ``password`` (PBKDF2-SHA-256). */
export async function deriveKeyBytes(username, password) {
  const material = await crypto.subtle.importKey("raw", encoder.encode(password), "PBKDF2", false, ["deriveBits"]);
  const salt = encoder.encode("casework-field-v1:" + normalUsername(username));
  return crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations: ITERATIONS }, material, 256);
}

/** Keeps the key bytes for this tab (sessionStorage: gone when the tab closes). */
export function rememberKey(username, bytes) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify({ username: normalUsername(username), key: toBase64(bytes) }));
}

/** Forgets this tab's key: the store stays locked until the password is typed again. */
export function forgetKey() {
  sessionStorage.removeItem(SESSION_KEY);
}

/** This tab's {username, key} (key a non-extractable CryptoKey), or null. */
export async function sessionKey() {
  const kept = sessionStorage.getItem(SESSION_KEY);
  if (!kept) {
    return null;
  }
  const { username, key } = JSON.parse(kept);
  return { username, key: await importKey(fromBase64(key)) };
}

/** An AES-GCM CryptoKey from raw bytes. */
export function importKey(bytes) {
  return crypto.subtle.importKey("raw", bytes, "AES-GCM", false, ["encrypt", "decrypt"]);
}

/** Encrypts bytes: {iv, data}, a fresh 96-bit IV each time. */
export async function sealBytes(key, bytes) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  return { iv, data: await crypto.subtle.encrypt({ name: "AES-GCM", iv }, key, bytes) };
}

/** Decrypts what sealBytes made; throws when the key is wrong or the data was altered. */
export function openBytes(key, box) {
  return crypto.subtle.decrypt({ name: "AES-GCM", iv: box.iv }, key, box.data);
}

/** Encrypts any JSON value. */
export function seal(key, value) {
  return sealBytes(key, encoder.encode(JSON.stringify(value)));
}

/** Decrypts a JSON value sealed by seal(). */
export async function open(key, box) {
  return JSON.parse(decoder.decode(await openBytes(key, box)));
}

/** The check value kept beside the store: opening it proves a key is the store's. */
export function makeCheck(key) {
  return seal(key, CHECK_TEXT);
}

/** True when ``key`` opens the store's check value. */
export async function verifyCheck(key, check) {
  try {
    return (await open(key, check)) === CHECK_TEXT;
  } catch {
    return false;
  }
}

/*
 * The app's only way to the server. Nothing is fetched while the browser says
 * it is offline (a failed fetch would only add noise to the console); a
 * request that fails on the way is reported as "offline" to the caller,
 * which keeps its work for the next attempt.
 */

let csrfToken = null;

/** Thrown when there is no connection: the caller keeps what it was sending. */
export class Offline extends Error {}

/** Thrown on 401 (or a shell opened without a session): sign in again; nothing is dropped. */
export class SignedOut extends Error {}

/** True when the browser believes it has a connection. */
export function isOnline() {
  return navigator.onLine;
}

/** Who is signed in ({username, full_name, role}), refreshing the CSRF token; throws SignedOut or Offline. */
export async function probeSession() {
  if (!isOnline()) {
    throw new Offline();
  }
  let response;
  try {
    response = await fetch("/field/session", { redirect: "manual", headers: { Accept: "application/json" } });
  } catch {
    throw new Offline();
  }
  if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
    throw new SignedOut();
  }
  const body = await response.json();
  csrfToken = body.csrf;
  return body;
}

/**
 * Sends one request; resolves to {status, body, retryAfter} for any HTTP answer.
 * ``payload`` is JSON unless it is raw bytes (an ArrayBuffer, sent with the ``extra`` headers).
 */
export async function send(method, path, payload, extra) {
  if (!isOnline()) {
    throw new Offline();
  }
  if (method !== "GET" && !csrfToken) {
    await probeSession();
  }
  const headers = { Accept: "application/json", ...(extra || {}) };
  let body;
  if (payload instanceof ArrayBuffer) {
    body = payload;
  } else if (payload !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(payload);
  }
  if (csrfToken) {
    headers["X-CSRFToken"] = csrfToken;
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new Offline();
  }
  if (response.status === 401) {
    csrfToken = null;
    throw new SignedOut();
  }
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  const retryAfter = Number(response.headers.get("Retry-After")) || null;
  return { status: response.status, body: parsed, retryAfter };
}

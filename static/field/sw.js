/*
 * Service worker of the field app (scope /field/). The server prepends
 * VERSION (a hash of every kept file) and PRECACHE (their URLs), so a deploy
 * that changes any of them installs a new worker whose cache replaces the old.
 *
 * The shell and its files are served from the cache first: they are the same
 * for every user and hold no personal data. Everything else (the API, the
 * session probe) goes to the network untouched: the app keeps its data in
 * its own encrypted store, never in this cache.
 */
/* global VERSION, PRECACHE */
"use strict";

const CACHE = "casework-field-" + VERSION;
// Matched by path: the pages link these files with a ?v= stamp, the modules import them without one.
const KEPT = new Set(PRECACHE.map((path) => new URL(path, self.location.origin).pathname));

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(names.filter((name) => name.startsWith("casework-field-") && name !== CACHE).map((name) => caches.delete(name))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !KEPT.has(url.pathname)) {
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request, { ignoreSearch: true }).then((kept) => kept || fetch(request))),
  );
});

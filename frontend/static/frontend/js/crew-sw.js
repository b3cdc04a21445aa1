/* Stadtmelder Außendienst – service worker of the crew app, scope /crew/ (the citizen app keeps
   its own /sw.js for the rest of the site).
   - Pages: network first; offline the cached shell (the task page is one shell for every id,
     matched without its query string).
   - Static files: from the cache, refreshed in the background.
   - The API is not cached here: the pages keep the tasks in localStorage and queue changes in
     IndexedDB (crew.js), so no stale answer can pass for a fresh one. */
"use strict";
const CACHE = "stadtmelder-crew-v2";
const PAGES = ["/crew/", "/crew/anmelden/", "/crew/aufgabe/"];
const ASSETS = [
  "/static/frontend/css/app.css", "/static/frontend/css/crew.css",
  "/static/frontend/js/crew.js", "/static/frontend/js/crew-login.js", "/static/frontend/js/crew-list.js",
  "/static/frontend/js/crew-task.js", "/static/frontend/js/photos.js",
  "/static/vendor/leaflet/leaflet.css", "/static/vendor/leaflet/leaflet.js",
  "/static/vendor/leaflet/images/marker-icon.png", "/static/vendor/leaflet/images/marker-icon-2x.png",
  "/static/vendor/leaflet/images/marker-shadow.png",
  "/static/frontend/icons/icon-192.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all(PAGES.concat(ASSETS).map((url) => cache.add(url).catch(() => null))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith("stadtmelder-crew-") && k !== CACHE)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function page(request) {
  const url = new URL(request.url);
  return fetch(request).then((response) => {
    if (response.ok && PAGES.includes(url.pathname)) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  }).catch(() => caches.match(url.pathname, { ignoreSearch: true })
    .then((cached) => cached || caches.match("/crew/")));
}

function staticFile(event) {
  const request = event.request;
  return caches.open(CACHE).then((cache) => cache.match(request).then((cached) => {
    const refresh = fetch(request).then((response) => {
      if (response.ok) cache.put(request, response.clone());
      return response;
    });
    if (cached) {
      event.waitUntil(refresh.catch(() => null));
      return cached;
    }
    return refresh;
  }));
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(event));
  }
});

/* Stadtmelder service worker: keeps the app shell so the pages open offline.
   - Pages (navigations): network first, the cached copy when offline, else /offline/.
     The shell pages are cached at install and refreshed on every successful visit.
   - Static files (/static/): served from the cache and refreshed in the background.
   - Everything else (the API, media): straight to the network. Reports written offline are
     kept by the page in IndexedDB (outbox.js) and sent from the page when it is online. */
"use strict";
const CACHE = "stadtmelder-v3";
const PAGES = ["/", "/melden/", "/meine-meldungen/", "/offline/"];
const ASSETS = [
  "/static/frontend/css/app.css", "/static/frontend/css/report.css", "/static/frontend/css/map.css",
  "/static/frontend/js/app.js", "/static/frontend/js/outbox.js", "/static/frontend/js/photos.js",
  "/static/frontend/js/report.js", "/static/frontend/js/place_search.js", "/static/frontend/js/my_reports.js",
  "/static/frontend/js/report_page.js", "/static/frontend/js/map.js",
  "/static/vendor/leaflet/leaflet.css", "/static/vendor/leaflet/leaflet.js",
  "/static/vendor/leaflet/images/marker-icon.png", "/static/vendor/leaflet/images/marker-icon-2x.png",
  "/static/vendor/leaflet/images/marker-shadow.png",
  "/static/frontend/icons/icon-192.png",
];

self.addEventListener("install", (event) => {
  // One by one: a missing optional asset must not break the installation.
  event.waitUntil(caches.open(CACHE)
    .then((cache) => Promise.all(PAGES.concat(ASSETS).map((url) => cache.add(url).catch(() => null))))
    .then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

function isShellPage(url) {
  return PAGES.includes(url.pathname);
}

function pageFromNetwork(request) {
  return fetch(request).then((response) => {
    const url = new URL(request.url);
    if (response.ok && isShellPage(url)) {
      const copy = response.clone();
      caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  });
}

function pageOffline(request) {
  const url = new URL(request.url);
  return caches.match(url.pathname).then((cached) => cached || caches.match("/offline/"));
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
    event.respondWith(pageFromNetwork(request).catch(() => pageOffline(request)));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(staticFile(event));
  }
});

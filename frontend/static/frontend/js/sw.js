/* Stadtmelder service worker: keeps the app shell so the pages open offline.
   - Pages (navigations): network first, the cached copy when offline, else /offline/.
     The shell pages are cached at install and refreshed on every successful visit.
   - Static files (/static/): served from the cache and refreshed in the background.
   - Everything else (the API, media): straight to the network. Reports written offline are
     kept by the page in IndexedDB (outbox.js) and sent from the page when it is online. */
"use strict";
const CACHE = "stadtmelder-v6";
const PAGES = ["/", "/melden/", "/meine-meldungen/", "/offline/"];
const ASSETS = [
  "/static/frontend/css/app.css", "/static/frontend/css/report.css", "/static/frontend/css/map.css",
  "/static/frontend/js/app.js", "/static/frontend/js/outbox.js", "/static/frontend/js/photos.js",
  "/static/frontend/js/report.js", "/static/frontend/js/place_search.js", "/static/frontend/js/my_reports.js",
  "/static/frontend/js/report_page.mjs", "/static/frontend/js/map.mjs", "/static/frontend/js/maplibre-map.mjs",
  "/static/vendor/maplibre-gl/maplibre-gl.css", "/static/frontend/css/maplibre.css",
  "/static/frontend/icons/icon-192.png",
];

importScripts("/static/frontend/js/sw-common.js");

self.addEventListener("install", (event) => swInstall(event, CACHE, PAGES.concat(ASSETS)));
// "stadtmelder-v…" only: the crew app's "stadtmelder-crew-…" cache is not ours to delete.
self.addEventListener("activate", (event) => swActivate(event, CACHE, "stadtmelder-v"));

function pageOffline(request) {
  const url = new URL(request.url);
  return caches.match(url.pathname).then((cached) => cached || caches.match("/offline/"));
}

self.addEventListener("fetch", (event) => swFetch(event, CACHE,
  (request) => swPageFromNetwork(request, CACHE, PAGES).catch(() => pageOffline(request))));

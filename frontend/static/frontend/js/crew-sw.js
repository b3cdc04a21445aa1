/* Stadtmelder Außendienst – service worker of the crew app, scope /crew/ (the citizen app keeps
   its own /sw.js for the rest of the site).
   - Pages: network first; offline the cached shell (the task page is one shell for every id,
     matched without its query string).
   - Static files: from the cache, refreshed in the background.
   - The API is not cached here: the pages keep the tasks in localStorage and queue changes in
     IndexedDB (crew.js), so no stale answer can pass for a fresh one. */
"use strict";
const CACHE = "stadtmelder-crew-v4";
const PAGES = ["/crew/", "/crew/anmelden/", "/crew/aufgabe/"];
const ASSETS = [
  "/static/frontend/css/app.css", "/static/frontend/css/crew.css",
  "/static/frontend/js/crew.js", "/static/frontend/js/crew-login.js", "/static/frontend/js/crew-list.js",
  "/static/frontend/js/crew-task.js", "/static/frontend/js/photos.js",
  // The map's set-up and styles; MapLibre itself, the basemap's style and tiles are not kept
  // (crew-list.js shows a note instead of the map offline, the task list stays).
  "/static/frontend/js/maplibre-map.mjs", "/static/vendor/maplibre-gl/maplibre-gl.css",
  "/static/frontend/css/maplibre.css",
  "/static/frontend/icons/icon-192.png",
];

importScripts("/static/frontend/js/sw-common.js");

self.addEventListener("install", (event) => swInstall(event, CACHE, PAGES.concat(ASSETS)));
self.addEventListener("activate", (event) => swActivate(event, CACHE, "stadtmelder-crew-"));

function page(request) {
  const url = new URL(request.url);
  return swPageFromNetwork(request, CACHE, PAGES).catch(() => caches.match(url.pathname, { ignoreSearch: true })
    .then((cached) => cached || caches.match("/crew/")));
}

self.addEventListener("fetch", (event) => swFetch(event, CACHE, page));

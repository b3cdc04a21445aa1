/* The cards' service worker (scope /konto/karten/, services/sozialcard/wallet.py): the card
   page opens without a network.
   - Card pages (navigations): network first; a successful answer refreshes the kept copy, a
     404 (no longer this phone's or this owner's card) drops it; offline: the kept copy.
   - Static files: from the cache, refreshed in the background (sw-common.js).
   - Everything else (device.json, code.svg, the APIs) goes to the network only.
   The page asks to keep itself (postMessage {keep: path}) right after the first install. */
"use strict";
const CACHE = "stadtmelder-card-v1";
const CARD_PAGE = /^\/konto\/karten\/\d+\/$/;
const ASSETS = [
  "/static/frontend/css/app.css", "/static/frontend/js/app.js", "/static/sozialcard/card.css",
  "/static/sozialcard/card.js", "/static/vendor/qrcode-generator/qrcode.js", "/static/frontend/icons/icon-192.png",
];

importScripts("/static/frontend/js/sw-common.js");

self.addEventListener("install", (event) => swInstall(event, CACHE, ASSETS));
self.addEventListener("activate", (event) => swActivate(event, CACHE, "stadtmelder-card-v"));

self.addEventListener("message", (event) => {
  const path = event.data && event.data.keep;
  if (typeof path !== "string" || !CARD_PAGE.test(path)) return;
  event.waitUntil(caches.open(CACHE).then((cache) => fetch(path, { credentials: "same-origin" })
    .then((response) => (response.ok ? cache.put(path, response) : cache.delete(path))))
    .catch(() => null));
});

function cardPage(request) {
  const path = new URL(request.url).pathname;
  if (!CARD_PAGE.test(path)) return fetch(request);
  return fetch(request).then((response) => {
    caches.open(CACHE).then((cache) => {
      if (response.ok) return cache.put(path, response.clone());
      if (response.status === 404) return cache.delete(path);
      return null;
    });
    return response;
  }).catch(() => caches.match(path).then((cached) => cached || Response.error()));
}

self.addEventListener("fetch", (event) => swFetch(event, CACHE, cardPage));

/* Shared by the two service workers (sw.js for the citizen app, crew-sw.js for /crew/),
   loaded with importScripts. Both keep their own cache in the origin's CacheStorage, so each
   deletes only older caches of its own prefix, never the other app's. */
"use strict";

/* Install: cache the shell pages and assets one by one (a missing optional file must not
   break the installation), then take over without waiting. */
function swInstall(event, cacheName, urls) {
  event.waitUntil(caches.open(cacheName)
    .then((cache) => Promise.all(urls.map((url) => cache.add(url).catch(() => null))))
    .then(() => self.skipWaiting()));
}

/* Activate: drop older caches whose names start with `prefix`, then control open pages. */
function swActivate(event, cacheName, prefix) {
  event.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(prefix) && k !== cacheName)
      .map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
}

/* A page from the network; a successful shell page also refreshes its cached copy. */
function swPageFromNetwork(request, cacheName, shellPages) {
  return fetch(request).then((response) => {
    const url = new URL(request.url);
    if (response.ok && shellPages.includes(url.pathname)) {
      const copy = response.clone();
      caches.open(cacheName).then((cache) => cache.put(url.pathname, copy));
    }
    return response;
  });
}

/* Static files: from the cache, refreshed in the background; from the network if not cached. */
function swStaticFile(event, cacheName) {
  const request = event.request;
  return caches.open(cacheName).then((cache) => cache.match(request).then((cached) => {
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

/* Fetch routing: same-origin GET navigations go to `page(request)`, /static/ to the cache;
   everything else (the APIs, media, other hosts) is left to the network. */
function swFetch(event, cacheName, page) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
  } else if (url.pathname.startsWith("/static/")) {
    event.respondWith(swStaticFile(event, cacheName));
  }
}

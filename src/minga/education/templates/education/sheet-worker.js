/* The attendance sheet's service worker: the sheets a teacher opened, and their script and
   styles, are kept so that they open again without any connection. Nothing else is cached. */
"use strict";
var CACHE = "minga-attendance-{{ version }}";
var ASSETS = {{ assets|safe }};
var SHEET = /\/education\/sessions\/[0-9a-f-]+\/attendance\/$/;

self.addEventListener("install", function (event) {
  self.skipWaiting();
  event.waitUntil(caches.open(CACHE).then(function (cache) { return cache.addAll(ASSETS); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("minga-attendance-") === 0 && name !== CACHE;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var sheet = SHEET.test(url.pathname);
  if (!sheet && ASSETS.indexOf(url.pathname) === -1) { return; }
  // The network first (the freshest list of students), the kept copy when there is none.
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(url.pathname, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(url.pathname).then(function (kept) {
      return kept || Response.error();
    });
  }));
});

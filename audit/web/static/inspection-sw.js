// The offline worker of the inspection pages (served at /ui/inspections/sw.js, scope
// /ui/inspections/): an inspection page is fetched from the network when there is one and
// kept; without network the kept copy is shown, and the page's script lays over it what the
// phone has not sent yet (IndexedDB). Assets have content-hashed names, so a kept copy is
// never stale. Only GETs are touched: answers and photos always go to the network.
"use strict";
var CACHE = "audit-inspections-v1";
var PAGE = /^\/ui\/inspections\/\d+$/;
var KEEP = /^\/(static\/|evidence\/\d+\/content$)/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function keep(key, response) {
  if (response.ok && response.type === "basic" && !response.redirected) {
    var copy = response.clone();
    caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
  }
  return response;
}

self.addEventListener("message", function (event) {
  // the page asks for itself and its assets to be kept (the first visit is not controlled)
  var urls = (event.data && event.data.cache) || [];
  var reply = event.ports && event.ports[0];
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return Promise.all(urls.filter(function (u) {
      var path = new URL(u, self.location.origin).pathname;
      return PAGE.test(path) || KEEP.test(path);
    }).map(function (u) {
      var path = new URL(u, self.location.origin).pathname;
      return fetch(u, { credentials: "same-origin" }).then(function (r) {
        if (r.ok && !r.redirected) { return cache.put(PAGE.test(path) ? path : u, r); }
      }).catch(function () {});
    }));
  }).then(function () { if (reply) { reply.postMessage("kept"); } }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate" && PAGE.test(url.pathname)) {
    event.respondWith(fetch(request).then(function (response) {
      if (response.redirected || response.type === "opaqueredirect") {  // to the login: the kept copy is no longer this user's
        caches.open(CACHE).then(function (cache) { cache["delete"](url.pathname); });
        return response;
      }
      return keep(url.pathname, response);
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
    }));
  } else if (KEEP.test(url.pathname)) {
    event.respondWith(caches.match(request).then(function (hit) {
      return hit || fetch(request).then(function (response) { return keep(request, response); });
    }));
  }
});

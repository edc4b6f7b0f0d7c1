/* ici_site service worker, written by the build. A new build changes VERSION, so the
   browser installs this worker again on the next visit: it stores the new shell, refreshes
   every language the reader saved, and only then drops the old caches. Pages come from
   the network first (never a stale page while online), from the saved copy when offline
   or after 4 s without an answer, else the language's offline page. */
"use strict";
const VERSION = "be55f924ed42";
const SHELL = ["assets/app.js", "assets/search.js", "assets/stem/arabic.js", "assets/stem/base.js", "assets/stem/english.js", "assets/stem/french.js", "assets/style.css", "index.html", "fr/offline.html", "en/offline.html", "ar/offline.html"];
const LANGUAGES = ["fr", "en", "ar"];
const SCOPE = self.registration.scope;
const PREFIX = "ici " + SCOPE + " ";
const cacheName = (part) => PREFIX + part + " " + VERSION;
const partOf = (name) => name.slice(PREFIX.length).split(" ")[0];

async function save(lang) {
  const response = await fetch(lang + "/pages.json", {cache: "no-store"});
  if (!response.ok) throw new Error("pages.json: " + response.status);
  const files = await response.json();
  await (await caches.open(cacheName(lang))).addAll(files.map((f) => new Request(f, {cache: "no-store"})));
  return files.length;
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    await (await caches.open(cacheName("shell"))).addAll(SHELL);
    const saved = new Set((await caches.keys()).filter((n) => n.startsWith(PREFIX)).map(partOf));
    for (const lang of LANGUAGES) {
      if (saved.has(lang)) await save(lang).catch(() => {});  // offline now: the old copy stays
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    for (const name of names) {
      if (!name.startsWith(PREFIX) || name === cacheName(partOf(name))) continue;
      const lang = partOf(name);
      if (LANGUAGES.includes(lang) && !names.includes(cacheName(lang))) continue;  // not refreshed yet
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const lang = event.data && event.data.save, port = event.ports[0];
  if (!port || !LANGUAGES.includes(lang)) return;
  event.waitUntil(save(lang).then((n) => port.postMessage({saved: n}), () => port.postMessage({saved: 0})));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "GET" && request.url.startsWith(SCOPE)) event.respondWith(respond(request));
});

async function respond(request) {
  const url = request.url.split(/[?#]/)[0];
  const saved = await caches.match(url.endsWith("/") ? url + "index.html" : url);
  const network = fetch(request);
  network.catch(() => {});
  try {
    return await (saved ? Promise.race([network, new Promise((ok) => setTimeout(ok, 4000, saved))]) : network);
  } catch (error) {
    if (saved) return saved;
    if (request.mode === "navigate") {
      const lang = url.slice(SCOPE.length).split("/")[0];
      const page = await caches.match(SCOPE + (LANGUAGES.includes(lang) ? lang : LANGUAGES[0]) + "/offline.html");
      if (page) return page;
    }
    throw error;
  }
}
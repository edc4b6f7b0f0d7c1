/* ici_site service worker, written by the build. A new build changes VERSION, so the
   browser installs this worker again on the next visit: it stores the new shell, refreshes
   every language the reader saved, and only then drops the old caches. Pages come from
   the network first (never a stale page while online), from the saved copy when offline
   or after 4 s without an answer, else the language's offline page. Every file read
   online is kept too ("read" cache), so a page once read opens again without a connection. */
"use strict";
const VERSION = "321de478c38e";
const SHELL = ["assets/app.js", "assets/icon.svg", "assets/print.css", "assets/search.js", "assets/stem/arabic.js", "assets/stem/base.js", "assets/stem/english.js", "assets/stem/french.js", "assets/style.css", "index.html", "translation-status.html", "fr/index.html", "fr/offline.html", "en/index.html", "en/offline.html", "ar/index.html", "ar/offline.html"];
const LANGUAGES = ["fr", "en", "ar"];
const SCOPE = self.registration.scope;
const PREFIX = "ici " + SCOPE + " ";
const READ = PREFIX + "read";  // no version: what the reader read stays until read again
const cacheName = (part) => PREFIX + part + " " + VERSION;
const partOf = (name) => name.slice(PREFIX.length).split(" ")[0];
const fileOf = (url) => { url = url.split(/[?#]/)[0]; return url.endsWith("/") ? url + "index.html" : url; };

async function save(lang) {
  const response = await fetch(lang + "/pages.json", {cache: "no-store"});
  if (!response.ok) throw new Error("pages.json: " + response.status);
  const files = await response.json();
  await (await caches.open(cacheName(lang))).addAll(files.map((f) => new Request(f, {cache: "no-store"})));
  return files.length;
}

async function keep(url, response) {
  if (response.status === 200 && response.type === "basic" && !url.endsWith("/sw.js")) {
    await (await caches.open(READ)).put(fileOf(url), response);
  }
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
      if (!name.startsWith(PREFIX) || name === READ || name === cacheName(partOf(name))) continue;
      const lang = partOf(name);
      if (LANGUAGES.includes(lang) && !names.includes(cacheName(lang))) continue;  // not refreshed yet
      await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

/* {save: lang}: store the language's files; {keep: url}: keep a page read before this
   worker controlled it (the first page of a first visit). Both answer on the port. */
self.addEventListener("message", (event) => {
  const data = event.data || {}, port = event.ports[0];
  if (!port) return;
  if (LANGUAGES.includes(data.save)) {
    event.waitUntil(save(data.save).then((n) => port.postMessage({saved: n}), () => port.postMessage({saved: 0})));
  } else if (typeof data.keep === "string" && data.keep.startsWith(SCOPE)) {
    event.waitUntil(fetch(data.keep).then((r) => keep(data.keep, r)).then(
      () => port.postMessage({kept: true}), () => port.postMessage({kept: false})));
  }
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method === "GET" && request.url.startsWith(SCOPE)) event.respondWith(respond(request));
});

async function respond(request) {
  const file = fileOf(request.url);
  const saved = await caches.match(file);
  const network = fetch(request).then((response) => {  // kept on the side: the page does not wait for it
    keep(file, response.clone()).catch(() => {});
    return response;
  });
  network.catch(() => {});
  try {
    return await (saved ? Promise.race([network, new Promise((ok) => setTimeout(ok, 4000, saved))]) : network);
  } catch (error) {
    if (saved) return saved;
    if (request.mode === "navigate") {
      const page = await offlinePage(file);
      if (page) return page;
    }
    throw error;
  }
}

/* The language's offline page, served at the address the reader asked for (so a reload
   online opens that page). Its links are relative to <lang>/offline.html: each becomes
   absolute, so stylesheet and links work at any depth (<base> is barred by the pages' CSP). */
async function offlinePage(file) {
  const lang = file.slice(SCOPE.length).split("/")[0];
  const address = SCOPE + (LANGUAGES.includes(lang) ? lang : LANGUAGES[0]) + "/offline.html";
  const page = await caches.match(address);
  if (!page) return null;
  const html = (await page.text()).replace(/\s(href|src|data-root)="([^"]*)"/g, (all, name, value) =>
    /^([a-z][a-z0-9+.-]*:|#|\/)/i.test(value) ? all : " " + name + '="' + new URL(value, address).href + '"');
  return new Response(html, {headers: {"Content-Type": "text/html; charset=utf-8"}});
}
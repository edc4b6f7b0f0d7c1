/* ici_site in the browser. Every part is an extra: each page is complete without it.
   No cookies, no request to another host; choices are kept in localStorage. */
(function () {
  "use strict";
  var doc = document, html = doc.documentElement, lang = html.lang;
  var root = doc.body.getAttribute("data-root") || "./";
  var $ = function (selector) { return doc.querySelector(selector); };
  var fill = function (text, values) { return text.replace(/\{(\w+)\}/g, function (m, k) { return values[k]; }); };
  var store = {
    get: function (key) { try { return localStorage.getItem(key); } catch (e) { return null; } },
    set: function (key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  };
  var worker = "serviceWorker" in navigator && location.protocol !== "file:";

  /* Language: remember the reader's choice; the root page opens it, else the browser's. */
  doc.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[hreflang]");
    if (link) store.set("ici-lang", link.hreflang);
  });
  var choose = $(".choose");
  if (choose && location.hash !== "#choose") {
    var links = Array.prototype.slice.call(choose.querySelectorAll("a[hreflang]"));
    var wanted = [store.get("ici-lang")].concat(navigator.languages || [navigator.language]);
    var match = function (want) {
      want = String(want || "").toLowerCase();
      return links.filter(function (a) { return a.hreflang.toLowerCase() === want; })[0] ||
        links.filter(function (a) { return a.hreflang.toLowerCase().split("-")[0] === want.split("-")[0]; })[0];
    };
    for (var i = 0; i < wanted.length; i++) {
      var found = wanted[i] && match(wanted[i]);
      if (found) { location.replace(found.href); return; }
    }
  }

  if (worker) {  // after the page has loaded: installing the worker must not slow the first page
    window.addEventListener("load", function () { navigator.serviceWorker.register(root + "sw.js").catch(function () {}); });
  }

  /* Offline: "Save" (on every page) has the worker store this language's pages. The first
     visit saves the language unasked (about 10 KB per service, gzip) unless the browser asks
     to save data (Save-Data); then only the page being read is kept. */
  var save = $("#save"), saveStatus = $("#save-status");
  if (save && worker) {
    var key = "ici-saved-" + save.dataset.lang;
    var showSaved = function (iso) {
      saveStatus.textContent = fill(save.dataset.saved,
        {date: new Intl.DateTimeFormat(lang, {dateStyle: "long"}).format(new Date(iso))});
    };
    var ask = function (message) {
      var late = new Promise(function (resolve, reject) { setTimeout(reject, 60000); });
      return Promise.race([navigator.serviceWorker.ready, late]).then(function (registration) {
        return new Promise(function (resolve) {
          var channel = new MessageChannel();
          channel.port1.onmessage = function (event) { resolve(event.data || {}); };
          registration.active.postMessage(message, [channel.port2]);
        });
      });
    };
    var saveLanguage = function (asked) {
      saveStatus.textContent = save.dataset.saving;
      ask({save: save.dataset.lang}).then(function (answer) {
        if (!answer.saved) throw new Error("not saved");
        var now = new Date().toISOString();
        store.set(key, now);
        showSaved(now);
      }).catch(function () { saveStatus.textContent = asked ? save.dataset.failed : ""; });
    };
    save.hidden = false;
    doc.querySelectorAll(".cannot-save, .can-save").forEach(function (e) { e.hidden = !e.hidden; });
    var frugal = navigator.connection && navigator.connection.saveData;
    if (store.get(key)) showSaved(store.get(key));
    else if (!frugal) {  // once the page is read and idle: saving must not slow the page being opened
      window.addEventListener("load", function () { setTimeout(function () { saveLanguage(false); }, 3000); });
    }
    if (frugal && !navigator.serviceWorker.controller) ask({keep: location.href}).catch(function () {});
    save.addEventListener("click", function () { saveLanguage(true); });
  }

  /* Open now: intervals computed at build time (UTC minutes), shown in the city's time zone. */
  var now = $(".now[data-open]");
  if (now && window.Intl) {
    var t = Date.now() / 60000, zone = doc.body.dataset.tz;
    var spans = now.dataset.open.split(" ").map(function (s) { return s.split("-").map(Number); });
    var format = function (minutes, options) {
      options.timeZone = zone;
      return new Intl.DateTimeFormat(lang, options).format(new Date(minutes * 60000));
    };
    var time = function (m) { return format(m, {hour: "2-digit", minute: "2-digit"}); };
    var day = function (m) { return format(m, {year: "numeric", month: "numeric", day: "numeric"}); };
    var open = spans.filter(function (s) { return s[0] <= t && t < s[1]; })[0];
    var next = spans.filter(function (s) { return s[0] > t; })[0];
    var text = "";
    if (open) text = fill(now.dataset.openNow, {time: time(open[1])});
    else if (next && day(next[0]) === day(t)) text = fill(now.dataset.opensToday, {time: time(next[0])});
    else if (next && next[0] - t < 6 * 1440) {
      text = fill(now.dataset.opensLater, {day: format(next[0], {weekday: "long"}), time: time(next[0])});
    } else if (next) text = now.dataset.closed;
    if (text) {
      now.textContent = text;
      now.className += open ? " open" : " closed";
      now.hidden = false;
    }
  }

  /* Listen: the device's own voice for the page's language; phone numbers digit by digit. */
  var listen = $("#listen"), synth = window.speechSynthesis;
  if (listen && synth && window.SpeechSynthesisUtterance) {
    var base = lang.toLowerCase().split("-")[0];
    var voice = function () {
      return synth.getVoices().filter(function (v) {
        return v.lang.toLowerCase().replace("_", "-").split("-")[0] === base;
      })[0];
    };
    var label = listen.querySelector("span"), idle = label.textContent;
    var check = function () { listen.hidden = !voice(); };
    check();
    if (synth.addEventListener) synth.addEventListener("voiceschanged", check);
    listen.addEventListener("click", function () {
      if (synth.speaking) { synth.cancel(); return; }
      var copy = $("main").cloneNode(true);
      copy.querySelectorAll(".tools, .hint, [hidden], script, svg").forEach(function (e) { e.remove(); });
      copy.querySelectorAll("a[href^='tel:']").forEach(function (a) {
        a.textContent = " " + a.textContent.replace(/[^\d+]/g, "").split("").join(" ") + ". ";
      });
      copy.querySelectorAll("h1, h2, h3, h4, li, dt, dd, p, th, td").forEach(function (e) { e.append(". "); });
      var utterance = new SpeechSynthesisUtterance(copy.textContent.replace(/\s+/g, " ").replace(/(\.\s*)+/g, ". "));
      utterance.lang = lang;
      utterance.voice = voice();
      utterance.onend = utterance.onerror = function () { label.textContent = idle; };
      label.textContent = listen.parentNode.dataset.stop;
      synth.speak(utterance);
    });
  }

  /* Share: the phone's own share sheet, where there is one. */
  var share = $("#share");
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener("click", function () {
      navigator.share({title: doc.title, url: location.href}).catch(function () {});
    });
  }

  /* Search: MiniSearch over this language's index (translated and source-language text). */
  var results = $("#results");
  if (results && window.MiniSearch && window.ICI_SEARCH) {
    $(".no-search").hidden = true;
    var input = $("#q"), list = results.querySelector("ul"), said = $("#results-status");
    var normal = function (term) { return term.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); };
    var index = new window.MiniSearch({
      fields: ["t", "s", "x", "o"], storeFields: ["u", "t", "s"], processTerm: normal,
      searchOptions: {boost: {t: 3, s: 2}, prefix: true, fuzzy: 0.2}
    });
    index.addAll(window.ICI_SEARCH);
    var run = function () {
      var query = input.value.trim();
      list.textContent = "";
      results.hidden = !query;
      if (!query) return;
      var hits = index.search(query, {combineWith: "AND"});
      if (!hits.length) hits = index.search(query);
      hits.slice(0, 30).forEach(function (hit) {
        var item = doc.createElement("li"), title = doc.createElement("h2"), a = doc.createElement("a");
        var summary = doc.createElement("p");
        a.href = hit.u;
        a.textContent = hit.t;
        summary.textContent = hit.s;
        title.append(a);
        item.append(title, summary);
        list.append(item);
      });
      said.textContent = hits.length ? "" : results.dataset.none;
    };
    input.value = new URLSearchParams(location.search).get("q") || "";
    input.form.addEventListener("submit", function (event) {
      event.preventDefault();
      try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file: */ }
      run();
    });
    input.addEventListener("input", run);
    run();
  }
})();

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
    var showSaved = function (iso) {  /* the date as the page writes dates: CLDR's pattern, from the build */
      var date = new Date(iso), d = date.getDate(), m = date.getMonth(), y = date.getFullYear();
      var months = JSON.parse(save.dataset.months || "[]"), two = function (n) { return ("0" + n).slice(-2); };
      saveStatus.textContent = fill(save.dataset.saved, {date: save.dataset.date ? fill(save.dataset.date,
        {d: d, dd: two(d), M: m + 1, MM: two(m + 1), MMM: months[m], MMMM: months[m], y: y, yy: two(y % 100)}) :
        iso.slice(0, 10)});
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

  /* Open now: the usual week and the days that differ (holidays), in minutes of the city's
     day, for 13 months from the build; the clock is read in the city's time zone. Day names
     and times come written from the build (Babel's CLDR data): Chromium's Intl writes English
     for Tigrinya, Somali, Pashto or Sorani. Intl only reads the clock here. */
  var now = $(".now[data-week]"), past = doc.querySelectorAll("table.holidays");
  if ((now || past.length) && window.Intl) {
    var parts = {};
    new Intl.DateTimeFormat("en-US", {timeZone: doc.body.dataset.tz, hourCycle: "h23", year: "numeric",
      month: "numeric", day: "numeric", hour: "numeric", minute: "numeric"}).formatToParts(new Date())
      .forEach(function (p) { parts[p.type] = Number(p.value); });
    var today = Date.UTC(parts.year, parts.month - 1, parts.day), minute = parts.hour % 24 * 60 + parts.minute;
    var utc = function (iso) { var d = iso.split("-").map(Number); return Date.UTC(d[0], d[1] - 1, d[2]); };
    past.forEach(function (table) {  /* the next holidays from today on, not from the build */
      var rows = table.querySelectorAll("tr[data-day]"), left = table.querySelectorAll("tr:not([hidden])").length;
      var most = left;
      rows.forEach(function (row) {
        row.hidden = utc(row.dataset.day) < today || !left;
        if (!row.hidden) left--;
      });
      table.hidden = left === most;  /* all gone by: rebuild the site for the next ones */
    });
  }
  if (now && window.Intl) {
    var spans = function (text) {
      return text ? text.split(",").map(function (s) { return s.split("-").map(Number); }) : [];
    };
    var week = now.dataset.week.split("/").map(spans), except = {};
    now.dataset.except.split(" ").forEach(function (e) { if (e) except[e.split("=")[0]] = spans(e.split("=")[1]); });
    var first = (today - utc(now.dataset.from)) / 864e5, days = Number(now.dataset.days);
    var on = function (i) {  /* the spans of the i-th day from today, null past the data */
      if (first < 0 || first + i >= days) return null;
      return except[first + i] || week[(new Date(today + i * 864e5).getUTCDay() + 6) % 7];
    };
    var names = JSON.parse(now.dataset.dayNames), times = JSON.parse(now.dataset.times);
    var dayName = function (i) { return names[(new Date(today + i * 864e5).getUTCDay() + 6) % 7]; };
    var time = function (i, m) { return times[m]; };  /* every start and end of a span is there */
    var text = "", open = on(0) && on(0).filter(function (s) { return s[0] <= minute && minute < s[1]; })[0];
    if (open) {
      var after = on(1);  /* open past midnight: it closes when tomorrow's first span ends */
      text = fill(now.dataset.openNow, {time: open[1] === 1440 && after && after.length && after[0][0] === 0 ?
        time(1, after[0][1]) : time(0, open[1])});
    }
    for (var i = 0; on(0) && !text && i < 6 && on(i); i++) {
      var next = on(i).filter(function (s) { return i > 0 || s[0] > minute; })[0];
      if (next && i === 0) text = fill(now.dataset.opensToday, {time: time(0, next[0])});
      else if (next) text = fill(now.dataset.opensLater, {day: dayName(i), time: time(i, next[0])});
    }
    if (on(0) && !text) text = now.dataset.closed;
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
})();

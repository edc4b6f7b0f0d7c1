/* Search, on the search page only. Nothing is loaded before the reader types; then the
   index head (search/docs.js), the stemmers of the scripts typed (assets/stem/) and the
   shards of the words typed (search/<n>.js), all plain scripts: they load from file:// too.
   A translation's page also looks in the source language's shards (head.source): the same
   documents in the same order, weighed less, so words of the source language find its pages.
   Words become terms as ici_site/site/terms.py makes them at build time (the tables come with
   the head); the scores are BM25F, computed by ici_site/site/search.py. */
(function () {
  "use strict";
  var doc = document, results = doc.getElementById("results");
  if (!results || !"".normalize || !window.Promise) return;
  var input = doc.getElementById("q"), list = results.querySelector("ul"), said = doc.getElementById("results-status");
  var WORD = /[\p{L}\p{N}\p{M}]+/gu, DROP = null;
  var S = window.ICI_SEARCH = {shards: {}};
  var head = null, analysers = [], indexes = [], waiting = {}, latest = 0;

  S.docs = function (data) { head = data; };
  S.shard = function (lang, number, terms) { (S.shards[lang] = S.shards[lang] || {})[number] = terms; };

  var load = function (src) {
    if (!waiting[src]) {
      waiting[src] = new Promise(function (resolve) {
        var script = doc.createElement("script");
        script.src = src;
        script.onload = script.onerror = function () { resolve(); };  // a missing piece: search what is there
        doc.head.appendChild(script);
      });
    }
    return waiting[src];
  };

  /* terms.normalise: lower case, NFKD, diacritics dropped (but the breve of й, ў), letters unified. */
  var normalise = function (text) {
    var chars = Array.from(text.toLowerCase().normalize("NFKD")), out = "";
    DROP = DROP || new RegExp("[" + head.diacritics.map(function (span) {
      return "\\u{" + span[0].toString(16) + "}-\\u{" + span[1].toString(16) + "}";
    }).join("") + "]", "u");
    for (var i = 0; i < chars.length; i++) {
      var c = chars[i];
      if (DROP.test(c) || (c === "\u0306" && chars[i - 1] !== "и" && chars[i - 1] !== "у")) continue;
      out += Object.prototype.hasOwnProperty.call(head.letters, c) ? head.letters[c] : c;
    }
    return out.normalize("NFC");
  };
  var words = function (text) { return normalise(text).match(WORD) || []; };
  var length = function (word) { return Array.from(word).length; };
  var stripArticle = function (word) {
    for (var i = 0; i < head.articles.length; i++) {
      var a = head.articles[i];
      if (word.indexOf(a) === 0 && length(word) - length(a) >= head.rest) return word.slice(a.length);
    }
    return word;
  };
  var lightStem = function (table) {
    return function (word) {
      for (var i = 0; i < table[1].length; i++) {
        var e = table[1][i];
        if (word.slice(-e.length) === e && length(word) - length(e) >= table[0]) return word.slice(0, -e.length);
      }
      return word;
    };
  };
  /* Analyser.term: article cut, stemmed in its language, normalised again. */
  var term = function (analyser, word) {
    word = stripArticle(word);
    if (!analyser.script.test(word)) return word;  // not the language's script: as it is
    if (analyser.stemmer) word = analyser.stemmer(word);
    return normalise(word);
  };

  var prepare = function () {
    var root = results.getAttribute("data-stems"), own = results.getAttribute("data-index").replace(/[^/]*$/, "");
    indexes = [{lang: head.lang, folder: own, shards: head.shards, weight: 1}];
    if (head.source) {  /* as many shards as this index: the same documents */
      indexes.push({lang: head.source.lang, folder: head.source.folder, shards: head.shards, weight: head.source.weight});
    }
    analysers = head.analysers.map(function (a) {
      var script = a.script ? new RegExp("\\p{Script=" + a.script + "}", "u") : /./u;  // "": any word
      var made = {lang: a.lang, script: script, stemmer: null};
      if (a.stem === "light") made.stemmer = lightStem(head.light[a.lang]);
      made.ready = function () {
        if (made.stemmer || !a.stem) return Promise.resolve();
        return Promise.all([load(root + "base.js"), load(root + a.stem + ".js")]).then(function () {
          var stem = window.ICI_STEM, Made = stem && stem.Base && stem[a.stem] && stem[a.stem](stem.Base);
          if (Made) { var s = new Made(); made.stemmer = function (w) { return s.stemWord(w); }; }
        });
      };
      return made;
    });
  };

  var shardOf = function (t, count) {  /* search.shard_of: a hash of the first letters */
    var mixed = 0;
    Array.from(t).slice(0, head.prefix).forEach(function (c) { mixed = (Math.imul(mixed, 65599) + c.codePointAt(0)) >>> 0; });
    return (Math.imul(mixed, 2654435761) >>> 0) % count;
  };

  /* Edit distance (insert, delete, replace, swap two letters); Infinity when the lengths
     alone differ by more than `most`. */
  var near = function (a, b, most) {
    if (Math.abs(a.length - b.length) > most) return Infinity;
    var rows = [], i, j;
    for (i = 0; i <= a.length; i++) { rows.push([i]); }
    for (j = 1; j <= b.length; j++) rows[0][j] = j;
    for (i = 1; i <= a.length; i++) {
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
    return rows[a.length][b.length];
  };

  /* The query's words: each with its terms (one per analyser of its script) and the shards to
     look in: for each index, its shard numbers. */
  var analyse = function (query) {
    var seen = {};
    return words(query).filter(function (w) {
      var fresh = length(w) >= 2 && !seen[w];
      seen[w] = true;
      return fresh;
    }).slice(0, 8).map(function (w) {
      var exact = [];
      analysers.forEach(function (a) {
        var t = term(a, w);
        if (length(t) >= 2 && exact.indexOf(t) < 0) exact.push(t);
      });
      var forms = [w].concat(exact.filter(function (t) { return t !== w; }));
      var shards = indexes.map(function (index) {
        var numbers = [];
        forms.forEach(function (f) {
          var n = shardOf(f, index.shards);
          if (numbers.indexOf(n) < 0) numbers.push(n);
        });
        return numbers;
      });
      return {word: w, exact: exact, forms: forms, shards: shards};
    });
  };

  /* The documents of one query word, best score each: its exact terms; if none is in the
     index, or the word is the last one and still being typed, the terms that start like it
     (weighted by how much of the term is typed); else terms spelled nearly the same, or
     that begin the word (an ending the stemmer does not know). */
  var lookup = function (q, typing) {
    var best = {}, exact = false, terms = {};
    indexes.forEach(function (index, i) {  /* a term of both indexes: its postings in each, and their weights */
      q.shards[i].forEach(function (n) {
        var shard = (S.shards[index.lang] || {})[n] || {};
        Object.keys(shard).forEach(function (t) { (terms[t] = terms[t] || []).push(shard[t], index.weight); });
      });
    });
    var add = function (t, weight) {
      var held = terms[t];
      for (var j = 0; j < held.length; j += 2) {
        var postings = held[j], w = weight * held[j + 1];
        for (var i = 0; i < postings.length; i += 2) {
          best[postings[i]] = Math.max(best[postings[i]] || 0, w * postings[i + 1]);
        }
      }
    };
    q.exact.forEach(function (t) { if (terms[t]) { add(t, 1); exact = true; } });
    var prefixed = false;
    if (typing || !exact) {
      Object.keys(terms).forEach(function (t) {
        q.forms.forEach(function (f) {
          if (t !== f && t.indexOf(f) === 0 && q.exact.indexOf(t) < 0) { add(t, 0.5 * f.length / t.length); prefixed = true; }
        });
      });
    }
    if (!exact && !prefixed) {
      Object.keys(terms).forEach(function (t) {
        q.forms.forEach(function (f) {
          var most = f.length >= 8 ? 2 : 1;
          if (f.length >= 5 && near(f, t, most) <= most) add(t, 0.3);
          else if (t.length >= 3 && f.indexOf(t) === 0) add(t, 0.3 * t.length / f.length);  // an unknown ending
        });
      });
    }
    return best;
  };

  /* Documents with more of the query's words first, then by score. */
  var rank = function (query, typing) {
    var found = {};
    query.forEach(function (q, i) {
      var best = lookup(q, typing && i === query.length - 1);
      Object.keys(best).forEach(function (d) {
        var hit = found[d] || (found[d] = {doc: +d, words: 0, score: 0});
        hit.words += 1;
        hit.score += best[d];
      });
    });
    return Object.keys(found).map(function (d) { return found[d]; }).sort(function (a, b) {
      return b.words - a.words || b.score - a.score || a.doc - b.doc;
    });
  };

  /* For tests/test_search.py: the same analysis as ici_site/site/terms.py, once the head is in. */
  S.words = function (text) { return words(text); };
  S.term = function (lang, word) {
    return term(analysers.filter(function (a) { return a.lang === lang; })[0], word);
  };
  S.ready = function () {
    return load(results.getAttribute("data-index")).then(function () {
      if (!analysers.length) prepare();
      return Promise.all(analysers.map(function (a) { return a.ready(); }));
    });
  };

  var show = function (hits, text) {
    list.textContent = "";
    hits.slice(0, 30).forEach(function (hit) {
      var data = head.docs[hit.doc];
      var item = doc.createElement("li"), title = doc.createElement("h2"), a = doc.createElement("a");
      var summary = doc.createElement("p");
      a.href = data[0];
      a.textContent = data[1];
      summary.textContent = data[2];
      title.append(a);
      item.append(title, summary);
      list.append(item);
    });
    said.textContent = hits.length ? "" : results.dataset.none;
    results.setAttribute("aria-busy", "false");
    results.setAttribute("data-query", text);
  };

  var run = function (typing) {
    var text = input.value.trim(), ticket = ++latest;  // a later keystroke's results win
    results.hidden = !text;
    if (!text) { list.textContent = ""; return; }
    results.setAttribute("aria-busy", "true");
    load(results.getAttribute("data-index")).then(function () {
      if (!head) return Promise.reject();
      if (!analysers.length) prepare();
      var scripts = words(text).join(" ");
      return Promise.all(analysers.filter(function (a) { return a.script.test(scripts); })
        .map(function (a) { return a.ready(); }));
    }).then(function () {
      var query = analyse(text), files = {};
      query.forEach(function (q) {
        indexes.forEach(function (index, i) {
          q.shards[i].forEach(function (n) { files[index.folder + n + ".js"] = true; });
        });
      });
      return Promise.all(Object.keys(files).map(load))
        .then(function () { return rank(query, typing === true && !/\s$/.test(input.value)); });
    }).then(function (hits) {
      if (ticket === latest) show(hits, text);
    }, function () {
      if (ticket === latest) show([], text);
    });
  };

  doc.querySelector(".no-search").hidden = true;
  input.value = new URLSearchParams(location.search).get("q") || "";
  input.form.addEventListener("submit", function (event) {
    event.preventDefault();
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file: */ }
    run(false);
  });
  input.addEventListener("input", function () { run(true); });
  if (input.value) run(false);
})();

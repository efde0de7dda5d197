/* site_gen search: one language's index (search/sg_index.js and its shards; see site_gen/search.py).
   A reader's word is folded (case, the apostrophes ' ’ ʼ, ё→е, stress marks) and looked up in the
   shard of its prefix, which maps every form of every lemma to the lemma: the dictionary did the
   morphology at build time, so there is no stemmer here. Shards and section texts are scripts,
   loaded only when a query needs them: a <script> loads from file:// where fetch cannot, and the
   CSP's script-src 'self' allows them. Index text only ever reaches the page as text nodes. */
(function () {
  "use strict";
  var data = window.SG_SEARCH;
  var form = document.getElementById("sg-search-form");
  var out = document.getElementById("sg-search-results");
  var input = document.getElementById("sg-q");
  if (!data || !data.shards || !form || !out || !input) return;

  var PAGE = 10; // results shown at once: each needs its section's text, which is loaded for it
  var CONTEXT = 60, LENGTH = 200; // characters of a snippet before its first match, and in all
  var COMPLETIONS = 100; // lemmas a word still being typed may stand for
  var WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;
  // Words of the text as written, apostrophes and stress marks included, to highlight in snippets.
  var TOKEN = /[\p{L}\p{N}\p{M}]+(?:['’ʼ‘`´][\p{L}\p{N}\p{M}]+)*/gu;
  var OPENING = "([{«„“‘\"'", CLOSING = ")]}»“”’\"'.,;:!?";

  function own(object, key) { return Object.prototype.hasOwnProperty.call(object, key); }
  function fold(text) {
    return text.normalize("NFC").toLowerCase().replace(/[’ʼ‘`´]/g, "'").replace(/ё/g, "е")
      .replace(/[\u0300\u0301]/g, "");
  }
  function words(text) { return fold(text).match(WORD) || []; }

  // --- loading shards and texts -------------------------------------------------------------
  var loaded = {}, loading = {};
  data.add = function (name, payload) { loaded[name] = payload; };
  function load(name) {
    if (!loading[name]) {
      loading[name] = new Promise(function (resolve) {
        var script = document.createElement("script");
        script.src = "search/" + data.dir + "/" + name + ".js";
        script.onload = function () { resolve(loaded[name] || null); };
        script.onerror = function () { resolve(null); };
        document.head.appendChild(script);
      });
    }
    return loading[name];
  }

  function decode(lemma, code) {
    var digits = /^\d+/.exec(code)[0];
    return lemma.slice(0, lemma.length - Number(digits)) + code.slice(digits.length);
  }
  function shard(prefix) {
    return load("s" + data.shards[prefix]).then(function (s) {
      if (s && !s.forms) {
        // Each form of each lemma of the shard, once per loaded shard.
        s.forms = {};
        Object.keys(s.t).forEach(function (lemma) {
          var codes = s.t[lemma][1];
          if (codes) codes.split(" ").forEach(function (code) {
            var word = decode(lemma, code);
            if (!own(s.forms, word)) s.forms[word] = [];
            s.forms[word].push(lemma);
          });
        });
      }
      return s;
    });
  }
  function shardOf(word) {
    for (var n = Math.min(word.length, data.prefix); n > 0; n--) {
      if (own(data.shards, word.slice(0, n))) return word.slice(0, n);
    }
    return null;
  }

  // --- words to lemmas to sections --------------------------------------------------------------
  function lemmasOf(word) {
    var home = shardOf(word);
    if (home === null) return Promise.resolve([]);
    return shard(home).then(function (s) {
      var found = {};
      function add(lemma) { found[lemma] = true; }
      if (!s) return [];
      if (own(s.t, word)) add(word);
      if (own(s.forms, word)) s.forms[word].forEach(add);
      if (own(s.f, word)) s.f[word].forEach(add);
      if (Object.keys(found).length || word.length < 3) return Object.keys(found);
      // No such word: perhaps one still being typed, so its completions, from its own shard
      // and the shards of longer prefixes that start with it.
      var more = Object.keys(data.shards).filter(function (p) { return p.length > word.length && p.indexOf(word) === 0; });
      return Promise.all(more.slice(0, 8).map(shard)).then(function (others) {
        [s].concat(others).forEach(function (one) {
          if (!one) return;
          Object.keys(one.t).forEach(function (lemma) { if (lemma.indexOf(word) === 0) add(lemma); });
          Object.keys(one.forms).forEach(function (f) { if (f.indexOf(word) === 0) one.forms[f].forEach(add); });
        });
        return Object.keys(found).sort().slice(0, COMPLETIONS);
      });
    });
  }
  function entryOf(lemma) {
    var home = shardOf(lemma);
    if (home === null) return Promise.resolve(null);
    return shard(home).then(function (s) { return s && own(s.t, lemma) ? { lemma: lemma, entry: s.t[lemma] } : null; });
  }

  // One query: per word, its lemmas' sections; ranked by words found in the title or heading,
  // then by words found, then in the site's order.
  function find(query) {
    var list = words(query).filter(function (w, i, all) { return all.indexOf(w) === i; });
    return Promise.all(list.map(function (word) {
      return lemmasOf(word).then(function (lemmas) { return Promise.all(lemmas.map(entryOf)); });
    })).then(function (perWord) {
      var hits = {}, forms = {};
      perWord.forEach(function (entries, number) {
        forms[list[number]] = true;
        var mine = {};
        entries.forEach(function (found) {
          if (!found) return;
          forms[found.lemma] = true;
          if (found.entry[1]) found.entry[1].split(" ").forEach(function (code) { forms[decode(found.lemma, code)] = true; });
          var value = 0, deltas = found.entry[0];
          for (var i = 0; i < deltas.length; i++) {
            value += deltas[i];
            var id = value >> 1;
            mine[id] = (mine[id] || 0) | (value & 1);
          }
        });
        Object.keys(mine).forEach(function (key) {
          var hit = hits[key] || (hits[key] = { id: Number(key), heading: 0, count: 0 });
          hit.count += 1;
          hit.heading += mine[key];
        });
      });
      var ranked = Object.keys(hits).map(function (key) { return hits[key]; });
      ranked.sort(function (a, b) { return b.heading - a.heading || b.count - a.count || a.id - b.id; });
      return { hits: ranked, forms: forms };
    });
  }

  // --- showing results --------------------------------------------------------------------------
  var starts = [0];
  data.chunks.forEach(function (size, i) { starts.push(starts[i] + size); });
  function docOf(id) {
    var low = 0, high = data.chunks.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= id) low = middle; else high = middle - 1;
    }
    return load("c" + low).then(function (docs) { return docs ? docs[id - starts[low]] : null; });
  }

  function isHit(folded, forms) {
    return (folded.match(WORD) || []).some(function (w) { return own(forms, w); });
  }
  // A passage of whole words around the first match, the matches marked.
  function snippet(text, forms) {
    var tokens = [], match, first = -1;
    // Folding the whole text at once is faster; word by word where folding changed its length.
    var folded = fold(text), aligned = folded.length === text.length;
    TOKEN.lastIndex = 0;
    while ((match = TOKEN.exec(text)) !== null) {
      var stop = match.index + match[0].length;
      var hit = isHit(aligned ? folded.slice(match.index, stop) : fold(match[0]), forms);
      tokens.push({ start: match.index, end: stop, hit: hit });
      if (hit && first < 0) first = tokens.length - 1;
      if (first >= 0 && match.index > tokens[first].start + LENGTH) break; // past the passage
    }
    var fragment = document.createDocumentFragment();
    if (!tokens.length) return fragment;
    if (first < 0) first = 0;
    var from = first;
    while (from > 0 && tokens[from - 1].start >= tokens[first].start - CONTEXT) from--;
    var to = first;
    while (to + 1 < tokens.length && tokens[to + 1].end <= tokens[from].start + LENGTH) to++;
    var start = tokens[from].start, end = tokens[to].end;
    if (from === 0) start = 0;
    else while (start > 0 && OPENING.indexOf(text[start - 1]) >= 0) start--;
    if (to === tokens.length - 1) end = text.length;
    else while (end < text.length && CLOSING.indexOf(text[end]) >= 0) end++;
    var position = start;
    function plain(until) {
      if (until > position) fragment.appendChild(document.createTextNode(text.slice(position, until)));
    }
    if (start > 0) fragment.appendChild(document.createTextNode("… "));
    for (var i = from; i <= to; i++) {
      if (!tokens[i].hit) continue;
      plain(tokens[i].start);
      var mark = document.createElement("mark");
      mark.textContent = text.slice(tokens[i].start, tokens[i].end);
      fragment.appendChild(mark);
      position = tokens[i].end;
    }
    plain(end);
    if (end < text.length) fragment.appendChild(document.createTextNode(" …"));
    return fragment;
  }

  var current = 0; // the latest query: results of an older one arrive too late to be shown
  function item(doc, forms) {
    var li = document.createElement("li"), link = document.createElement("a"), text = document.createElement("p");
    link.href = doc[0];
    link.textContent = doc[2] ? doc[1] + " — " + doc[2] : doc[1];
    text.appendChild(snippet(doc[3], forms));
    li.appendChild(link);
    li.appendChild(text);
    return li;
  }
  // One page of results, each added to the list as soon as it and those before it have their
  // texts (loaded in parallel); *first* is called with the first one's link. Resolves with the
  // button for the next page, if there is one.
  function showPage(list, found, from, token, first) {
    var slice = found.hits.slice(from, from + PAGE), docs = [], next = 0;
    function flush() {
      while (next < slice.length && docs[next] !== undefined) {
        if (docs[next]) {
          var li = list.appendChild(item(docs[next], found.forms));
          if (first) first(li.firstChild);
          first = null;
        }
        next++;
      }
    }
    return Promise.all(slice.map(function (hit, i) {
      return docOf(hit.id).then(function (doc) {
        if (token !== current) return;
        docs[i] = doc;
        flush();
      });
    })).then(function () {
      if (token !== current || from + PAGE >= found.hits.length) return null;
      var more = document.createElement("button");
      more.type = "button";
      more.className = "sg-search-more";
      more.textContent = out.getAttribute("data-more");
      more.addEventListener("click", function () {
        more.disabled = true;
        out.setAttribute("aria-busy", "true");
        showPage(list, found, from + PAGE, token, function (link) { link.focus(); }).then(function (button) {
          more.replaceWith.apply(more, button ? [button] : []);
          out.setAttribute("aria-busy", "false");
        });
      });
      return more;
    });
  }

  // aria-busy: the results are being replaced (assistive technology waits; so do the tests).
  function show(query, focus) {
    var token = ++current;
    if (!words(query).length) { out.textContent = ""; out.setAttribute("aria-busy", "false"); return; }
    out.setAttribute("aria-busy", "true");
    find(query).then(function (found) {
      if (token !== current) return;
      var count = document.createElement("p"), list = document.createElement("ol"), shown = false;
      count.textContent = found.hits.length ? out.getAttribute("data-count").replace("{count}", found.hits.length)
        : out.getAttribute("data-none");
      // The previous results stay until the first new one can take their place.
      function replace() {
        if (shown) return;
        shown = true;
        out.textContent = "";
        out.appendChild(count);
        out.appendChild(list);
      }
      if (!found.hits.length) { replace(); out.setAttribute("aria-busy", "false"); return; }
      showPage(list, found, 0, token, function (link) {
        replace();
        if (focus) link.focus();
      }).then(function (more) {
        if (token !== current) return;
        replace();
        if (more) out.appendChild(more);
        out.setAttribute("aria-busy", "false");
      });
    });
  }

  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); show(input.value, true); }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value, true);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
  });
  input.addEventListener("input", function () { show(input.value, false); });
})();

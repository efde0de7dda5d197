/* site_gen search: one language's index (search/sg_index.js), matched in the page.
   Words are folded (case, the apostrophes ' ’ ʼ, ё→е) and stripped of inflection
   endings, so a query in any grammatical form finds the other forms. */
(function () {
  "use strict";
  var data = window.SG_SEARCH;
  var form = document.getElementById("sg-search-form");
  var out = document.getElementById("sg-search-results");
  if (!data || !form || !out) return;

  // Longest endings first. Ukrainian and Russian have no Snowball/lunr stemmer here
  // (Ukrainian has none at all), so this light stemmer strips common case endings.
  var ENDINGS = {
    uk: ["ями", "ами", "ого", "ому", "ими", "іми", "ої", "ою", "ею", "єю", "ів", "їв", "ах", "ях", "ам", "ям",
         "ом", "ем", "ей", "ий", "ій", "ої", "ую", "юю", "ти", "ть", "ся", "ли", "ла", "ло",
         "а", "я", "о", "е", "є", "і", "ї", "и", "у", "ю", "ь", "й"],
    ru: ["ями", "ами", "ого", "его", "ому", "ему", "ыми", "ими", "ой", "ей", "ий", "ый", "ая", "яя", "ое", "ее",
         "ую", "юю", "ом", "ем", "ах", "ях", "ам", "ям", "ов", "ев", "ть", "ся", "ли", "ла", "ло",
         "ы", "и", "а", "я", "о", "е", "у", "ю", "ь", "й"],
    en: ["ing", "ies", "ied", "es", "ed", "s"]
  };
  var endings = ENDINGS[data.lang] || [];

  function fold(text) {
    return text.toLowerCase().replace(/[’ʼ`´‘]/g, "'").replace(/ё/g, "е");
  }
  function strip(word) {
    for (var i = 0; i < endings.length; i++) {
      var e = endings[i];
      if (word.length - e.length >= 3 && word.slice(-e.length) === e) return word.slice(0, -e.length);
    }
    return word;
  }
  // Strip until nothing more comes off, so that "summonses" and "summons" meet at "summon".
  function stem(word) {
    for (var next = strip(word); next !== word; next = strip(word)) word = next;
    return word;
  }
  function words(text) {
    return (fold(text).match(/[\p{L}\p{N}']+/gu) || []).map(function (w) { return w.replace(/^'+|'+$/g, ""); })
      .filter(Boolean);
  }

  var docs = data.docs.map(function (doc) {
    var stems = {};
    words(doc.p + " " + doc.h + " " + doc.t).forEach(function (w) { stems[stem(w)] = true; });
    return { doc: doc, stems: Object.keys(stems) };
  });

  function matches(entry, term) {
    for (var i = 0; i < entry.stems.length; i++) {
      if (entry.stems[i].indexOf(term) === 0) return true;
    }
    return false;
  }

  function snippet(text, terms) {
    var folded = fold(text), at = -1;
    for (var i = 0; i < terms.length && at < 0; i++) at = folded.indexOf(terms[i]);
    var start = Math.max(0, at - 60);
    return (start ? "… " : "") + text.slice(start, start + 200) + (text.length > start + 200 ? " …" : "");
  }

  function show(query) {
    var terms = words(query).map(stem);
    out.textContent = "";
    if (!terms.length) return;
    var found = docs.filter(function (entry) {
      return terms.every(function (t) { return matches(entry, t); });
    });
    var count = document.createElement("p");
    count.textContent = found.length ? out.getAttribute("data-count").replace("{count}", found.length)
      : out.getAttribute("data-none");
    out.appendChild(count);
    var list = document.createElement("ol");
    found.slice(0, 50).forEach(function (entry) {
      var item = document.createElement("li"), link = document.createElement("a");
      link.href = entry.doc.u;
      link.textContent = entry.doc.h ? entry.doc.p + " — " + entry.doc.h : entry.doc.p;
      var text = document.createElement("p");
      text.textContent = snippet(entry.doc.t, terms);
      item.appendChild(link);
      item.appendChild(text);
      list.appendChild(item);
    });
    out.appendChild(list);
  }

  var input = document.getElementById("sg-q");
  var params = new URLSearchParams(location.search);
  if (params.get("q")) { input.value = params.get("q"); show(input.value); }
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    show(input.value);
    try { history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); } catch (e) { /* file:// */ }
  });
  input.addEventListener("input", function () { show(input.value); });
})();

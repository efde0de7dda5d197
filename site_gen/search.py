"""A small static search, one index per language, that works offline and with a strict CSP.

Material's lunr search has no Ukrainian stemmer, fetches one index for every language,
and needs a Web Worker (which ``file://`` pages cannot start).  This search instead:

* reads each built page's article text, split into sections at h2/h3 headings;
* indexes each section under the *lemmas* of its words: pymorphy3 with its Ukrainian and
  Russian dictionaries for Cyrillic words, Snowball (Porter2) stems for English words;
* writes, with each lemma, every form of it (the dictionary's lexeme; for English the
  forms seen in the text and their regular endings), so the browser maps the reader's
  word to its lemma by looking it up, with no stemmer or suffix list of its own;
* shards the lemmas by prefix and the section texts by page into small ``.js`` files that
  the page loads with ``<script>`` elements (a script loads from ``file://`` where
  ``fetch`` cannot, and same-folder scripts pass ``script-src 'self'``), so a query
  loads only the shards of its words and the texts of the results it shows.

Files of one language, under ``search/``::

    sg_index.js          window.SG_SEARCH={"lang", "dir", "shards": {prefix: n}, "chunks": [sections…]}
    <dir>/s<n>.js        SG_SEARCH.add("s<n>", {"t": {lemma: [postings, forms]}, "f": {form: [lemma…]}})
    <dir>/c<n>.js        SG_SEARCH.add("c<n>", [[url, page title, heading, text], …])

``<dir>`` is a digest of the files in it, so a browser never mixes shards of two builds.
A posting is ``section * 2 + 1`` when the word is in the section's heading (the page title
for a page's first section), else ``section * 2``; postings are written as differences
from the previous one.  A lemma's forms are written relative to it: ``"2ці"`` is the lemma
without its last 2 letters, then ``ці``.  ``"f"`` holds forms whose own prefix belongs to
another shard than their lemma's.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import re
import shutil
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from site_gen.render import renderer

#: Pages that are not content.
SKIPPED = {"404.html", "search.html", "translation-status.html"}

#: The page that shows results.
PAGE = "search.md"

#: Languages whose Cyrillic words pymorphy3 analyses (its dictionaries on PyPI).
MORPHOLOGY = ("uk", "ru")

#: A shard holds about this many bytes of JSON before it is split by a longer prefix:
#: a query loads one shard per word, so small shards keep the first query light.
SHARD_BYTES = 24_000
#: Shards are split no further than this many letters of prefix.
MAX_PREFIX = 4
#: Section texts are grouped into a file of at least this many characters (whole pages only):
#: results show their texts, and a page's sections often come together.
CHUNK_CHARS = 6_000

SKIPPED_BLOCKS = re.compile(
    r"<(script|style)\b.*?</\1>|<dl class=\"sg-facts\".*?</dl>|<p class=\"sg-banner\".*?</p>"
    r"|<sup id=\"fnref[^\"]*\">.*?</sup>", re.S)
HEADING = re.compile(r"<h([123])\b([^>]*)>(.*?)</h\1>", re.S)
HEADING_ID = re.compile(r"""\bid=["']([^"']+)["']""")
#: Inline elements end without a space ("(<a>The Moscow Times</a>, …)" is "(The Moscow Times, …)");
#: any other tag separates words.
INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|bdi|bdo|cite|code|data|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span|strong"
    r"|sub|sup|time|u|var)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")

#: Folded like the browser folds (site_gen_search.js): the three Ukrainian apostrophes and
#: their look-alikes become ', ё becomes е, stress marks go.
_FOLD = (("’", "'"), ("ʼ", "'"), ("‘", "'"), ("`", "'"), ("´", "'"), ("ё", "е"), ("\u0300", ""), ("\u0301", ""))
#: Letters and digits, with apostrophes inside a word (обов'язок, government's).
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
ENGLISH = re.compile(r"[a-z]+(?:'[a-z]+)*")


def _plain(html: str) -> str:
    return " ".join(unescape(TAG.sub(" ", INLINE_TAG.sub("", html))).split())


def page_sections(html: str) -> tuple[str, list[dict[str, str]]]:
    """(page title, sections split at h1–h3) of a page's main text (Material's <article>), as
    plain text.

    Only the article is read: the work stays linear in the page's text, not in the
    navigation that every page repeats.  Regular expressions suffice because the
    HTML is the one MkDocs just wrote.
    """
    element = renderer().content_element  # the theme's element for the page's own text
    start, end = html.find(f"<{element}"), html.rfind(f"</{element}>")
    article = SKIPPED_BLOCKS.sub(" ", html[start:end] if start >= 0 and end > start else html)
    sections: list[dict[str, str]] = []
    position, anchor, heading = 0, "", ""
    for match in HEADING.finditer(article):
        body = _plain(article[position:match.start()])
        if heading or body:
            sections.append({"a": anchor, "h": heading, "t": body})
        found = HEADING_ID.search(match.group(2))
        anchor, heading, position = (found.group(1) if found else ""), _plain(match.group(3)), match.end()
    body = _plain(article[position:])
    if heading or body:
        sections.append({"a": anchor, "h": heading, "t": body})
    title = next((s["h"] for s in sections if s["h"]), "")
    return title, sections


def page_docs(relative: str, html: str) -> list[dict[str, str]]:
    """The index entries of one page (*relative* to its language folder): one per section."""
    if relative in SKIPPED or relative.startswith(("assets/", "search/")):
        return []
    title, sections = page_sections(html)
    return [{
        "u": relative + (f"#{section['a']}" if section["a"] and number else ""),
        "p": title,
        "h": section["h"] if number else "",
        "t": section["t"],
    } for number, section in enumerate(sections)]


# --- Words and lemmas ----------------------------------------------------------------------


def fold(text: str) -> str:
    """*text* as both the index and the browser compare it."""
    text = unicodedata.normalize("NFC", text).lower()
    for old, new in _FOLD:  # str.replace scans in C; str.translate looks up each character
        if old in text:
            text = text.replace(old, new)
    return text


def words(text: str) -> list[str]:
    """The folded words of *text*."""
    return WORD.findall(fold(text))


def preload(languages: Iterable[str]) -> None:
    """Import the stemmer's and the analyzer's code in the main process before the language
    workers fork, so that none imports it again.  Each worker still loads only its own
    language's dictionary (``analyzer``): three workers holding both would cost memory."""
    import importlib

    import snowballstemmer  # noqa: F401

    wanted = sorted(set(MORPHOLOGY) & set(languages))
    for module in (["pymorphy3"] if wanted else []) + [f"pymorphy3_dicts_{lang}" for lang in wanted]:
        importlib.import_module(module)  # a dictionary package: its path, not its data


@functools.cache
def analyzer(lang: str) -> Any:
    """pymorphy3's analyzer for *lang*, loaded once per process (a language's worker)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


@functools.cache
def english_stemmer() -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer("english")


def english_endings(word: str) -> set[str]:
    """Regular English forms of *word* that the text may not hold (a reader may type them).

    Snowball gives the lemma of a word in the text, but the browser can only look up the
    reader's word, so the forms are written at build time: the word's singular (or, for a
    past or -ing form, its base when Snowball agrees), and from each of those the plural
    and possessive, third person, past and -ing.
    """
    bases = {word}
    if word.endswith("'s"):
        bases.add(word[:-2])
    elif word.endswith("ies"):
        bases.add(word[:-3] + "y")
    elif word.endswith(("sses", "xes", "zes", "ches", "shes", "ses")):
        bases.add(word[:-2])
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "'s")):
        bases.add(word[:-1])
    stem = english_stemmer().stemWord
    for ending in ("ed", "ing"):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            root = word[:-len(ending)]
            bases |= {base for base in (root, root + "e", root[:-1] if root[-1:] == root[-2:-1] else root)
                      if stem(base) == stem(word)}
    forms = set(bases)
    for base in bases:
        forms |= {base + "s", base + "'s"}
        if base.endswith(("s", "x", "z", "ch", "sh")):
            forms.add(base + "es")
        if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
            forms |= {base[:-1] + "ies", base[:-1] + "ied"}
        forms |= {base + "d", base[:-1] + "ing"} if base.endswith("e") else {base + "ed", base + "ing"}
    return forms


class Lemmas:
    """Each word's lemmas in one language, and every form of each lemma seen so far.

    Words are looked up once per build of a language (a cache by word); a lemma's forms are
    generated once, the first time a word leads to it.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.of_word: dict[str, tuple[str, ...]] = {}
        self.forms: dict[str, set[str]] = defaultdict(set)
        self._lexemes: set[tuple[str, str]] = set()

    def __call__(self, word: str) -> tuple[str, ...]:
        found = self.of_word.get(word)
        if found is None:
            found = self.of_word[word] = self._lemmas(word)
        return found

    def _lemmas(self, word: str) -> tuple[str, ...]:
        if self.lang in MORPHOLOGY and CYRILLIC.search(word) and word.isalpha():
            return self._cyrillic(word)
        if ENGLISH.fullmatch(word):
            lemma = english_stemmer().stemWord(word)
            self.forms[lemma] |= english_endings(word) | {word}
            return (lemma,)
        return (word,)

    def _cyrillic(self, word: str) -> tuple[str, ...]:
        parses = analyzer(self.lang).parse(word)
        # Every dictionary reading of an ambiguous word (стали: стать and сталь), so that a
        # reader's form of either lemma finds it; for a word the dictionary lacks, its best guess.
        chosen = [parse for parse in parses if parse.is_known] or parses[:1]
        lemmas: dict[str, None] = {}
        for parse in chosen:
            lemma = fold(parse.normal_form)
            lemmas[lemma] = None
            paradigm = (lemma, str(parse.tag.POS))
            if paradigm not in self._lexemes:
                self._lexemes.add(paradigm)
                self.forms[lemma].update(fold(form.word) for form in parse.lexeme)
        return tuple(lemmas) or (word,)

    def table(self, lemmas: Iterable[str]) -> dict[str, list[str]]:
        """Every form of each of *lemmas* (but the lemma itself), sorted.

        A form that is itself a word of the text keeps to its own lemmas: "news" in the text
        is not a form of "new", though "new" + s would say so.
        """
        result = {}
        for lemma in lemmas:
            result[lemma] = sorted(form for form in self.forms.get(lemma, ())
                                   if form != lemma and lemma in self.of_word.get(form, (lemma,)))
        return result


# --- Writing the index ---------------------------------------------------------------------


def _script(name: str, payload: Any) -> str:
    return f"SG_SEARCH.add({json.dumps(name)},{_json(payload)});\n"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def encode_form(lemma: str, form: str) -> str:
    """*form* relative to *lemma*: letters to drop from the lemma's end, then what follows."""
    same = 0
    for a, b in zip(lemma, form, strict=False):
        if a != b:
            break
        same += 1
    return f"{len(lemma) - same}{form[same:]}"


def decode_form(lemma: str, code: str) -> str:
    digits = re.match(r"\d+", code)
    assert digits is not None
    drop = int(digits.group())
    return lemma[:len(lemma) - drop] + code[digits.end():]


def shard_of(word: str, prefixes: dict[str, int] | set[str]) -> str | None:
    """The shard (its prefix) that holds *word*: the longest listed prefix of it."""
    for length in range(min(len(word), MAX_PREFIX), 0, -1):
        if word[:length] in prefixes:
            return word[:length]
    return None


def plan_shards(sizes: dict[str, int], limit: int | None = None) -> list[str]:
    """Prefixes that share out *sizes* (word → bytes): one letter, longer where one is more
    than *limit* (``SHARD_BYTES``).  A prefix too small for a file of its own stays in its
    parent's shard.
    """
    limit = SHARD_BYTES if limit is None else limit

    def split(prefix: str, names: list[str]) -> list[str]:
        if sum(sizes[n] for n in names) <= limit or len(prefix) >= MAX_PREFIX:
            return [prefix]
        children: dict[str, list[str]] = defaultdict(list)
        for name in names:
            if len(name) > len(prefix):
                children[name[len(prefix)]].append(name)
        stays = any(len(name) == len(prefix) for name in names)
        found = []
        for letter, group in sorted(children.items()):
            if sum(sizes[n] for n in group) >= limit // 8:
                found += split(prefix + letter, group)
            else:
                stays = True
        return ([prefix] if stays else []) + found

    by_letter: dict[str, list[str]] = defaultdict(list)
    for name in filter(None, sizes):
        by_letter[name[0]].append(name)
    return sorted(p for letter, names in by_letter.items() for p in split(letter, names))


@dataclass
class IndexWriter:
    """One language's index, written as its pages come: section texts go to disk at once,
    the lemmas' postings stay in memory (a few integers per section and word)."""

    language_dir: Path
    lang: str
    lemmas: Lemmas = field(init=False)
    postings: dict[str, list[int]] = field(init=False, default_factory=lambda: defaultdict(list))
    chunks: list[int] = field(init=False, default_factory=list)
    sections: int = field(init=False, default=0)
    _chunk: list[list[str]] = field(init=False, default_factory=list)
    _chunk_chars: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.lemmas = Lemmas(self.lang)
        self.folder = self.language_dir / "search"
        self.parts = self.folder / "parts"
        shutil.rmtree(self.parts, ignore_errors=True)
        self.parts.mkdir(parents=True)
        (self.folder / "search_index.json").unlink(missing_ok=True)  # Material's
        self.digest = hashlib.sha256()

    def add(self, docs: list[dict[str, str]]) -> None:
        """One page's sections (``page_docs``)."""
        for number, doc in enumerate(docs):
            heading = doc["p"] if number == 0 else doc["h"]
            # Each word's lemmas from the cache where it has them: this loop runs for every word
            # of every section.
            known, lemmas = self.lemmas.of_word, self.lemmas
            flags = dict.fromkeys(itertools.chain.from_iterable(
                known.get(word) or lemmas(word) for word in set(words(doc["t"]))), 0)
            flags.update(dict.fromkeys(itertools.chain.from_iterable(
                known.get(word) or lemmas(word) for word in set(words(heading))), 1))
            posting, postings = self.sections * 2, self.postings
            for lemma, flag in flags.items():
                postings[lemma].append(posting + flag)
            self.sections += 1
            self._chunk.append([doc["u"], doc["p"], doc["h"], doc["t"]])
            self._chunk_chars += sum(len(value) for value in doc.values())
        if self._chunk_chars >= CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        if self._chunk:
            self._write(f"c{len(self.chunks)}", self._chunk)
            self.chunks.append(len(self._chunk))
            self._chunk, self._chunk_chars = [], 0

    def _write(self, name: str, payload: Any) -> None:
        text = _script(name, payload).encode("utf-8")
        self.digest.update(text)
        (self.parts / f"{name}.js").write_bytes(text)

    def close(self) -> Path:
        self._flush()
        table = self.lemmas.table(self.postings)
        entries: dict[str, list[Any]] = {}
        sizes: dict[str, int] = {}
        for lemma in sorted(self.postings):
            if not lemma:
                continue  # a word that folds to nothing (a lone mark) cannot be typed or found
            values = self.postings[lemma]
            deltas = [b - a for a, b in zip([0, *values], values, strict=False)]
            entries[lemma] = [deltas, " ".join(encode_form(lemma, form) for form in table[lemma])]
            sizes[lemma] = len(lemma) + len(_json(entries[lemma]))
            for form in table[lemma]:
                if form:
                    sizes.setdefault(form, 0)
        prefixes = plan_shards(sizes)
        shards: dict[str, dict[str, Any]] = {prefix: {"t": {}, "f": {}} for prefix in prefixes}
        for lemma, entry in entries.items():
            home = shard_of(lemma, shards)
            assert home is not None
            shards[home]["t"][lemma] = entry
            for form in filter(None, table[lemma]):
                where = shard_of(form, shards)
                if where is not None and where != home:
                    shards[where]["f"].setdefault(form, []).append(lemma)
        numbers = {prefix: number for number, prefix in enumerate(prefixes)}
        for prefix, number in numbers.items():
            self._write(f"s{number}", shards[prefix])
        name = self.digest.hexdigest()[:16]
        for old in self.folder.iterdir():
            if old.is_dir() and old != self.parts:
                shutil.rmtree(old)
        self.parts.rename(self.folder / name)
        target = self.folder / "sg_index.js"
        meta = {"lang": self.lang, "dir": name, "prefix": MAX_PREFIX, "shards": numbers, "chunks": self.chunks}
        target.write_text(f"window.SG_SEARCH={_json(meta)};\n", encoding="utf-8")
        return target


# --- Reading it back (tests, the benchmark) --------------------------------------------------


@dataclass
class Index:
    """One language's index as the browser sees it."""

    meta: dict[str, Any]
    shards: dict[str, dict[str, Any]]
    docs: list[list[str]]

    def lemmas_of(self, word: str) -> list[str]:
        """The lemmas the browser finds for a reader's *word* (exact forms only)."""
        word = fold(word)
        home = shard_of(word, self.shards)
        if home is None:
            return []
        shard = self.shards[home]
        found = [word] if word in shard["t"] else []
        found += shard["f"].get(word, [])
        for lemma, (_, forms) in shard["t"].items():
            if forms and word in {decode_form(lemma, code) for code in forms.split(" ")}:
                found.append(lemma)
        return sorted(set(found))

    def postings(self, lemma: str) -> list[tuple[int, bool]]:
        """(section, in its heading) of each section that holds *lemma*."""
        home = shard_of(lemma, self.shards)
        entry = self.shards[home]["t"].get(lemma) if home is not None else None
        if entry is None:
            return []
        value, result = 0, []
        for delta in entry[0]:
            value += delta
            result.append((value // 2, bool(value % 2)))
        return result

    def pages(self, word: str) -> set[str]:
        """The pages (URLs without their anchors) whose sections hold a lemma of *word*."""
        return {self.docs[section][0].split("#")[0]
                for lemma in self.lemmas_of(word) for section, _ in self.postings(lemma)}


def _payload(text: str) -> Any:
    return json.loads(text[text.index(",") + 1:text.rindex(")")])


def read_index(language_dir: Path) -> Index:
    folder = language_dir / "search"
    text = (folder / "sg_index.js").read_text(encoding="utf-8")
    meta = json.loads(text.removeprefix("window.SG_SEARCH=").rstrip().rstrip(";"))
    files = folder / meta["dir"]
    shards = {prefix: _payload((files / f"s{number}.js").read_text(encoding="utf-8"))
              for prefix, number in meta["shards"].items()}
    docs = [doc for number in range(len(meta["chunks"]))
            for doc in _payload((files / f"c{number}.js").read_text(encoding="utf-8"))]
    return Index(meta, shards, docs)


# --- The results page ----------------------------------------------------------------------


def search_page(ui: dict[str, str]) -> str:
    """The Markdown of the results page: a form that works without JavaScript too."""
    return (
        f"---\ntitle: {json.dumps(ui['search.title'], ensure_ascii=False)}\n---\n\n"
        f"# {ui['search.title']}\n\n"
        '<form id="sg-search-form" class="sg-search" action="search.html" method="get" role="search">\n'
        f'<label for="sg-q">{_text(ui["search.label"])}</label>\n'
        '<input id="sg-q" name="q" type="search" autocomplete="off">\n'
        f'<button type="submit">{_text(ui["search.button"])}</button>\n'
        "</form>\n\n"
        f'<div id="sg-search-results" aria-live="polite" data-none="{_attr(ui["search.none"])}" '
        f'data-count="{_attr(ui["search.count"])}" data-more="{_attr(ui["search.more"])}"></div>\n\n'
        f'<noscript><p>{_text(ui["search.nojs"])}</p></noscript>\n\n'
        '<script src="search/sg_index.js"></script>\n'
        '<script src="assets/site_gen_search.js"></script>\n'
    )


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;")

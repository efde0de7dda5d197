"""The gate: a translation may change the words of a page, never the page.

Every translated message passes through ``verdict`` before anything publishes it:
``site-gen check``, ``build`` and ``serve``, and Babel's checker (``pybabel compile``),
for page catalogs and the interface catalog alike.  A message the gate refuses is
never published: the English is shown in its place.

The verdict is taken on the *rendered* HTML, not on the Markdown text: the English
message and its translation are each rendered by Python-Markdown with the page's own
configuration (the extensions of ``mkdocs.yml``) and the page's link-reference,
footnote and abbreviation definitions, in the frame the message has in the page
(a heading, a table cell, an admonition title…).  The two renderings must have the
same *skeleton*: the same blocks in the same order, and in each block the same
multiset of inline elements with their attributes and URLs.  Text is free: text
nodes, and the attributes that hold text for readers (``alt``, ``title``,
``aria-label``, ``placeholder``), and ``<abbr>``, which the abbr extension makes out
of text.  Inline elements may move within their block.

Rules on the text itself come first: control characters, bidi overrides and
zero-width characters only where the English has them; and for text that reaches
the theme's templates (titles, descriptions, headings, interface strings), no
``< > " &`` beyond the English's, since those templates print values unescaped.

Verdicts are cached by the message, its translation, its frame, the page's
definitions and the Markdown configuration.  Nothing here imports MkDocs.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import itertools
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import markdown
import selectolax
from selectolax.lexbor import LexborHTMLParser

from site_gen import checks, interface
from site_gen.checks import Finding
from site_gen.entries import State, Translation
from site_gen.render import renderer
from site_gen.segment import Page, line_break
from site_gen.translate import escape_pipes

#: Extensions MkDocs always adds to a page's Markdown, whatever ``mkdocs.yml`` lists.
MKDOCS_BUILTINS = ("toc", "tables", "fenced_code")

#: Attributes whose values readers read: compared as text.
TEXT_ATTRIBUTES = frozenset({"alt", "title", "aria-label", "placeholder", "data-label"})
#: Attributes made of a text's words, not of its markup: autorefs' ``slug`` on ``[Foo][]`` is the
#: identifier's fallback spelling, which ``[Фу][Foo]`` (the same link) does not carry.
DERIVED_ATTRIBUTES = frozenset({("autoref", "slug")})

#: Elements that may move within their block; every other element is a block, kept in order.
INLINE_ELEMENTS = frozenset({
    "a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "del", "dfn", "em", "i", "img", "ins", "kbd",
    "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr",
})

#: Blocks that Markdown itself makes: a change among them is a change of the page's structure.
MARKDOWN_BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "hr", "table", "thead",
    "tbody", "tr", "th", "td", "dl", "dt", "dd", "div",
})

#: Message kinds whose text reaches the theme's templates (page title, description, headings in
#: the table of contents and page title, interface strings): Material prints them unescaped.
TEMPLATE_KINDS = frozenset({"meta:title", "meta:description", "heading", "interface"})

#: Characters that start markup in an HTML template; in template text only as often as the English has them.
TEMPLATE_CHARACTERS = '<>"&'

#: Characters no reader needs that can change what a reader sees or reorder it: C0/C1 controls (a
#: carriage return is a line break to Markdown), bidi overrides and isolates, zero-width characters.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


@dataclass(frozen=True)
class MarkdownConfig:
    """The Markdown configuration of a site's pages: extension names and their settings."""

    extensions: tuple[str, ...] = (*MKDOCS_BUILTINS, "toc", "tables", "admonition", "attr_list", "footnotes",
                                   "abbr", "def_list")
    #: The extensions' settings, as sorted JSON (hashable, and a cache key).
    settings: str = "{}"

    @classmethod
    def from_mkdocs(cls, config: Mapping[str, Any]) -> MarkdownConfig:
        """The configuration MkDocs gives Python-Markdown for *config* (a read ``mkdocs.yml``)."""
        names: list[str] = list(MKDOCS_BUILTINS)
        settings: dict[str, Any] = {}
        for item in config.get("markdown_extensions") or []:
            if isinstance(item, dict):
                for name, options in item.items():
                    names.append(str(name))
                    if isinstance(options, dict):
                        settings[str(name)] = options
            else:
                names.append(str(item))
        for plugin in config.get("plugins") or []:
            name = str(next(iter(plugin)) if isinstance(plugin, dict) else plugin)
            names.extend(PLUGIN_EXTENSIONS.get(name, ()))
        return cls(tuple(dict.fromkeys(names)), json.dumps(settings, sort_keys=True, default=str))

    @property
    def key(self) -> str:
        return json.dumps([self.extensions, self.settings])


#: Markdown extensions a plugin of mkdocs.yml adds to every page's Markdown: the gate renders with
#: them too.  autorefs (and mkdocstrings, which turns it on) makes a reference no page defines,
#: ``[Foo][]`` or ``[text][mod.Foo]``, a link to that identifier: a translated identifier is
#: another link.
PLUGIN_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "autorefs": ("mkdocs_autorefs:AutorefsExtension",),
    "mkdocstrings": ("mkdocs_autorefs:AutorefsExtension",),
}


@dataclass(frozen=True)
class Context:
    """The definitions of a page that its messages are rendered with."""

    #: Link-reference and abbreviation definition lines, as written in the page.
    definitions: str = ""
    #: Footnote labels the page defines.
    footnotes: frozenset[str] = frozenset()
    #: False when the page is not known (a catalog checked on its own): every footnote a
    #: message refers to is taken as defined.
    page: bool = False


EMPTY = Context()
DEFAULT = MarkdownConfig()

#: The versions of the renderer and the parser: a verdict kept on disk holds only for them.
RENDERER_KEY = f"markdown {markdown.__version__}; selectolax {selectolax.__version__}".encode()

_REFERENCE_DEFINITION = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*\S")
_ABBREVIATION_DEFINITION = re.compile(r"^\*\[[^\]]+\]:")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]]+)\]:")
_FOOTNOTE_REFERENCE = re.compile(r"\[\^([^\]]+)\]")


def page_context(lines: Iterable[str]) -> Context:
    """The definitions of a page (its lines), which every message of it is rendered with."""
    definitions, footnotes = [], set()
    for line in lines:
        if _REFERENCE_DEFINITION.match(line) or _ABBREVIATION_DEFINITION.match(line):
            definitions.append(line.strip())
        elif found := _FOOTNOTE_DEFINITION.match(line):
            footnotes.add(found.group(1))
    return Context("\n".join(definitions), frozenset(footnotes), page=True)


# Rendering ------------------------------------------------------------------------------


#: The key of a ``!!python/…`` tag of mkdocs.yml as read (``{PYTHON_TAG: [kind, target, argument]}``).
PYTHON_TAG = "!!python"


def _python_object(kind: str, target: str, argument: Any) -> Any:
    """What PyYAML's full loader (MkDocs') makes of ``!!python/<kind>:<target> <argument>``."""
    if kind == "module":
        return importlib.import_module(target)
    module, _, name = target.rpartition(".")
    value = getattr(importlib.import_module(module), name) if module else getattr(builtins, name)
    if kind == "name":
        return value
    if kind in ("object/apply", "object/new"):
        if isinstance(argument, dict):
            return value(*argument.get("args", ()), **argument.get("kwds", {}))
        return value(*(argument if isinstance(argument, list) else ()))
    raise ValueError(f"!!python/{kind} is not a tag MkDocs' configuration can use")


def loaded_settings(value: Any) -> Any:
    """Extension settings with their ``!!python/…`` tags loaded as MkDocs loads them."""
    if isinstance(value, dict):
        if set(value) == {PYTHON_TAG}:
            kind, target, argument = value[PYTHON_TAG]
            return _python_object(kind, target, loaded_settings(argument))
        return {key: loaded_settings(item) for key, item in value.items()}
    if isinstance(value, list):
        return [loaded_settings(item) for item in value]
    return value


@lru_cache(maxsize=8)
def markdown_for(config: MarkdownConfig) -> markdown.Markdown:
    """A Python-Markdown converter with the site's configuration, shared: ``reset()`` it first."""
    # With the extensions the build adds (its fast inline stage: the same HTML, less work).
    from site_gen.errors import SiteGenError

    try:
        settings = loaded_settings(json.loads(config.settings))
    except (ImportError, AttributeError, TypeError, ValueError) as error:  # MkDocs would fail on it too
        raise SiteGenError("mkdocs.yml", None, f"a !!python/ value of markdown_extensions does not load: {error}",
                           "install the package that provides it, or correct the name") from None
    try:
        return markdown.Markdown(extensions=[*config.extensions, *renderer().markdown_extensions()],
                                 extension_configs=_inert_fences(settings))
    except ImportError as error:  # MkDocs would fail on it too, in every language
        raise SiteGenError("mkdocs.yml", None, f"a Markdown extension of markdown_extensions is not installed: {error}",
                           "install the package that provides it (pip install …), or remove it from "
                           "markdown_extensions") from None


def _inert_fences(settings: dict[str, Any]) -> dict[str, Any]:
    """*settings* with superfences' custom fences formatted as plain code: a custom fence's
    formatter may run the fence's code (markdown-exec runs Python), and the gate renders the
    translators' text.  Both texts of a message get the same plain block, so the verdict on the
    page's structure is the same; the build itself never renders a refused text."""
    options = settings.get("pymdownx.superfences")
    if not isinstance(options, dict) or not options.get("custom_fences"):
        return settings
    from pymdownx.superfences import fence_code_format

    fences = [{"name": fence.get("name"), "class": fence.get("class", fence.get("name")), "format": fence_code_format}
              for fence in options["custom_fences"] if isinstance(fence, dict)]
    return {**settings, "pymdownx.superfences": {**options, "custom_fences": fences}}


#: The anchor a heading is framed with (where attr_list applies it); any stands in for it.
_ANCHOR = "sg-anchor"
_HEADING_ID_ATTRIBUTE = re.compile(r'(<h[1-6][^>]*?)\sid="[^"]*"')
_PERMALINK_TARGET = re.compile(r'(<a class="headerlink" href=)"#[^"]*"')


def _breaks(text: str, indent: str) -> str:
    """*text*'s line breaks as translate._fit writes them, each next line after *indent*."""
    lines = text.split("\n")
    return lines[0] + "".join(line_break(before) + indent + line for before, line in itertools.pairwise(lines))


def frame(kind: str, text: str) -> str:
    """The message as the translate stage writes it into the page, in a neutral container."""
    folded = " ".join(text.split())
    if kind == "paragraph":
        return _breaks(text, "")  # as translate._fit writes a hard break
    if kind == "item":
        # A paragraph in a list item: after a hard break, a list marker starts another item.
        return "- " + _breaks(text, "  ")
    if kind == "heading":
        return f"## {folded} {{#{_ANCHOR}}}"
    if kind == "cell":
        # Tight pipes, as close as a cell's text comes to them; a split cell pushes the next
        # cell's code out of the row (Python-Markdown drops cells beyond the header's).
        return f"|h|h|\n|-|-|\n|{escape_pipes(folded)}|`next`|"
    if kind == "title":
        return f'!!! note "{folded}"\n    body'
    if kind == "term":
        return f"{folded}\n:   definition"
    if kind == "alt":
        return f"![{folded}](image.png)"
    return folded  # abbreviation definitions, front-matter fields, interface strings


@dataclass(frozen=True)
class Rendering:
    skeleton: tuple[Any, ...]
    #: What the message defines for the rest of the page: references, footnotes, abbreviations.
    definitions: tuple[Any, ...]


@lru_cache(maxsize=65536)
def render(text: str, kind: str, context: Context, config: MarkdownConfig) -> Rendering:
    """The skeleton of one message rendered in its frame with its page's definitions."""
    md = markdown_for(config)
    md.reset()
    # Definitions first: a definition the message makes then overrides the page's, as it would
    # in a page where the message comes later, and shows in the definitions compared.
    labels = set(_FOOTNOTE_REFERENCE.findall(text))
    labels = sorted(labels & context.footnotes if context.page else labels)
    footnotes = "\n\n".join(f"[^{label}]: note" for label in labels)
    source = "\n\n".join(part for part in (context.definitions, footnotes, frame(kind, text)) if part)
    html = md.convert(source)
    if kind == "heading" and "attr_list" not in config.extensions and "extra" not in config.extensions:
        # Without attr_list the frame's {#id} cannot fix the id, and toc names the heading after
        # its words; the build gives every translated heading the English page's id anyway
        # (anchors.py), so a heading's id (and its permalink's target) is not the translation's.
        html = _HEADING_ID_ATTRIBUTE.sub(r"\1", html)
        html = _PERMALINK_TARGET.sub(r'\1"#"', html)
    defined: list[Any] = sorted((label, url) for label, (url, _title) in md.references.items())
    for extension in md.registeredExtensions:
        notes = getattr(extension, "footnotes", None)
        if isinstance(notes, Mapping):
            defined.append(("footnotes", tuple(sorted(notes.items()))))
    return Rendering(skeleton(html), tuple(defined))


# Skeletons --------------------------------------------------------------------------------

Attributes = tuple[tuple[str, str | None], ...]


class _Skeleton:
    """Blocks in order and, within each, the multiset of inline elements; text aside."""

    def __init__(self, ignore: frozenset[Attributes]) -> None:
        self.ignore = ignore
        self.items: list[Any] = []
        self.inline: Counter[Any] = Counter()

    def flush(self) -> None:
        if self.inline:
            self.items.append(("inline", tuple(sorted(self.inline.items(), key=repr))))
            self.inline = Counter()

    def enter(self, node: Any) -> str:
        """Note *node*; what to do when leaving it: "close" a block, or nothing."""
        if node.is_text_node:
            parent = node.parent.tag if node.parent is not None else ""
            if parent in ("script", "style"):  # a script's or style's content is code, not text
                self.inline[("code in", parent, node.text_content)] += 1
            elif parent in ("span", "div") and "arithmatex" in (node.parent.attributes.get("class") or ""):
                self.inline[("code in", "math", node.text_content)] += 1  # arithmatex: math stays as written
            return ""
        if node.is_comment_node:
            self.inline[("comment",)] += 1
            return ""
        if node.is_document_node:
            return ""
        tag = node.tag
        if tag.startswith(("-", "_", "!")):  # a doctype or processing instruction
            self.inline[("declaration", tag)] += 1
            return ""
        attrs = tuple(sorted(node.attributes.items()))
        if (tag == "abbr" and all(name == "title" for name, _ in attrs)) or (tag == "span" and attrs in self.ignore):
            return ""  # an abbreviation (text to readers) or site_gen's own wrapper: its content counts
        kept = tuple(item for item in attrs if item[0] not in TEXT_ATTRIBUTES
                     and (tag, item[0]) not in DERIVED_ATTRIBUTES)
        if tag in INLINE_ELEMENTS:
            self.inline[(tag, kept)] += 1
            return ""
        self.flush()
        self.items.append(("open", tag, kept))
        return "close"

    def leave(self, node: Any, action: str) -> None:
        if action == "close":
            self.flush()
            self.items.append(("close", node.tag))


def skeleton(html: str, ignore: frozenset[Attributes] = frozenset()) -> tuple[Any, ...]:
    """The elements, attributes, URLs and ids of *html* as a browser parses it (lexbor, an HTML5
    parser), text aside; ``<span>`` elements with exactly one of the attribute sets in *ignore*
    are left out (site_gen's own wrappers)."""
    walker = _Skeleton(ignore)
    # Depth-first without recursion: a translation may nest elements deeper than Python's stack.
    node = LexborHTMLParser(html).root.parent  # the document: a comment may come before <html>
    actions = [walker.enter(node)]
    while actions:
        child = node.child
        if child is not None:
            node = child
            actions.append(walker.enter(node))
            continue
        while actions:
            walker.leave(node, actions.pop())
            if not actions:
                break
            if node.next is not None:
                node = node.next
                actions.append(walker.enter(node))
                break
            node = node.parent
    walker.flush()
    return tuple(walker.items)


def page_digest(html: str, source_lang: str) -> str:
    """A digest of a page's rendered Markdown skeleton, site_gen's own wrappers left out: the
    same for a page and any translation of it that changes only words."""
    return hashlib.sha256(repr(skeleton(html, wrappers(source_lang))).encode()).hexdigest()


def wrappers(source_lang: str) -> frozenset[Attributes]:
    """The attribute sets of the spans the translate stage wraps English text in."""
    return frozenset({
        (("class", "sg-untranslated"), ("lang", source_lang)),
        (("class", "sg-fuzzy"), ("lang", source_lang)),
        (("class", "sg-fuzzy"),),
        (("class", "sg-notice"),),
        (("lang", source_lang),),
    })


# Rules on the text --------------------------------------------------------------------------


def _invisible(text: str) -> Counter[str]:
    if text.replace("\n", "").isprintable():
        return Counter()  # the common case, in C: no character of those categories (nor any space but " ")
    return Counter(c for c in text if c != "\n" and unicodedata.category(c) in _INVISIBLE_CATEGORIES)


def characters(msgid: str, msgstr: str) -> Iterable[Finding]:
    added = _invisible(msgstr) - _invisible(msgid)
    if added:
        names = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, 'control')}" for c in sorted(added))
        yield Finding("characters", "error", f"the translation has invisible or control characters: {names}",
                      "delete them (retype the text around them if you cannot see them)")


def template_characters(msgid: str, msgstr: str) -> Iterable[Finding]:
    added = [c for c in TEMPLATE_CHARACTERS if msgstr.count(c) > msgid.count(c)]
    if added:
        yield Finding("template", "error",
                      f"this text is printed into the site's HTML templates; it may not add {' '.join(added)}",
                      "write it without < > \" & (use « » or “ ” for quotes, and the word for &)")


_FIELD = re.compile(r"\{[^{}]*\}")


def placeholders(msgid: str, msgstr: str) -> Iterable[Finding]:
    """An interface string's fields (``{percent}``, a caption prefix's ``{}``) are filled in by
    site_gen or an extension: each must stay, once, as the English has it, with no other brace
    (``str.format`` fails on ``{x}``, and a lost ``{}`` drops the number)."""
    english, translated = Counter(_FIELD.findall(msgid)), Counter(_FIELD.findall(msgstr))
    if english != translated or msgstr.count("{") != msgid.count("{") or msgstr.count("}") != msgid.count("}"):
        kept = " ".join(sorted(english))
        yield Finding("placeholder", "error",
                      f"the translation changes the placeholders in braces: the English has {kept or 'none'}",
                      f"write {kept} exactly as the English does, once each, and no other {{ or }}" if kept
                      else "remove the { and }: site_gen fills nothing in here")


#: The start of a line that pymdownx reads as syntax, not text: a block (``///``), a tab (``===``),
#: an admonition or details opener, a snippet include, a mkdocstrings directive.  A translation
#: that starts a new line with one would open or close a block of the page around it (a lone
#: ``///`` ends the block the message is in), which the message rendered alone cannot show.
_LINE_SYNTAX = re.compile(r"(?m)^[ \t>]*(/{3,}|={3}[+!]*[ \t]|!{3}|\?{3}|-{2,}8<-{2,}|:::[ \t])")


def line_syntax(msgid: str, msgstr: str) -> Iterable[Finding]:
    added = Counter(m.group(1).strip() for m in _LINE_SYNTAX.finditer(msgstr))
    added.subtract(m.group(1).strip() for m in _LINE_SYNTAX.finditer(msgid))
    extra = sorted(marker for marker, count in added.items() if count > 0)
    if extra:
        yield Finding("syntax", "error",
                      f"a line of the translation starts with {' '.join(extra)}, which pymdownx reads as "
                      "block syntax (a block, tab, admonition, snippet or ::: directive), not as words",
                      "keep the line breaks of the English, and start no line with ///, ===, !!!, ???, "
                      "--8<-- or :::")


_ABBREVIATION_LABEL = re.compile(r"^\s*\*\[([^\]]*)\]:")


def unused_abbreviations(page: Page, translations: Mapping[str, str]) -> dict[str, Finding]:
    """Abbreviation definitions whose translated label (``*[ТЦК]`` for ``*[TCC]``) no other
    translation of the page uses: the abbr extension would explain nothing, and the word the page
    does write loses its explanation.  A label kept as in the English is always right.
    *translations*: the page's msgid → msgstr that would be published."""
    found: dict[str, Finding] = {}
    for msgid, segments in page.messages().items():
        msgstr = translations.get(msgid)
        if not msgstr or segments[0].kind != "abbr":
            continue
        english, translated = _ABBREVIATION_LABEL.match(msgid), _ABBREVIATION_LABEL.match(msgstr)
        if english is None or (translated is not None and translated.group(1) == english.group(1)):
            continue
        label = translated.group(1) if translated is not None else ""
        used = label.strip() and any(re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)
                                      for other, text in translations.items() if other != msgid and text)
        if not used:
            found[msgid] = Finding(
                "abbreviation", "error",
                f"the abbreviation *[{label}] explains a word that no translation of this page writes",
                f"keep the label *[{english.group(1)}]: as in the English, or write {label or 'the label'} "
                "in the page's translated text")
    return found


# The verdict ------------------------------------------------------------------------------


# Markup shapes: the verdict without rendering, for a translation that changes words only --------------

#: Extensions whose handling of letters, single spaces and the punctuation of ``_INERT`` was checked:
#: none of them reacts to those characters except through the constructs ``shape`` keeps literally.
_SHAPE_EXTENSIONS = frozenset({*MKDOCS_BUILTINS, "admonition", "attr_list", "footnotes", "abbr", "def_list",
                               "md_in_html", "sane_lists"})

#: Punctuation no Markdown construct of those extensions starts or ends within a line: inside a run of
#: words its place does not matter, and a run's first and last characters are kept as they are.
_INERT = ".,;:?'’ʼ«»„“”–—%/№§°\u00a0\u202f\u2009"

_LETTER = r"[^\W\d_]"
_RUN_CHAR = rf"(?:{_LETTER}|[{re.escape(_INERT)}])"

#: One token of a text's shape.  The literal kinds come first: a code span, a tag or autolink, an
#: attribute list, an entity, a link's target, a bracket that is a label (of a reference,
#: footnote or abbreviation: not followed by "("); then a run of words, which starts with a letter
#: at a line's start (":" there starts a definition) and holds single spaces and hyphens only
#: between letters; anything else stays as it is.
_SHAPE_TOKEN = re.compile(
    rf"""(?P<literal>(`+)[\s\S]*?(?<!`)\2(?!`)
        | <[^<>]*>
        | \{{[^{{}}]*\}}
        | &[#\w]{{1,10}};
        | \]\((?:[^()]|\([^()]*\))*\)
        | \[[^\[\]]*\](?!\())
    | (?P<run>(?:(?<=[^\n])|(?={_LETTER})){_RUN_CHAR}+(?:(?:\ |(?<={_LETTER})-(?={_LETTER})){_RUN_CHAR}+)*)""",
    re.X,
)


def _token(match: re.Match[str]) -> str:
    run = match.group("run")
    if run is None:
        return match.group(0)  # "\0" starts only a run's token: no control character gets this far
    return "\0" + ("L" if run[0].isalpha() else run[0]) + ("L" if run[-1].isalpha() else run[-1])


def shape(text: str) -> str:
    """*text* with every run of words replaced by a token naming the run's first and last
    characters ("L" for a letter): two texts of the same shape differ in words only, and render
    to the same skeleton in every frame (a property test checks it)."""
    return _SHAPE_TOKEN.sub(_token, text)


#: Lines whose words become attributes: a heading's (toc makes its id of them), also in a quote or
#: a list item, an admonition's type (its class), a setext heading's underline; and a carriage
#: return, which starts a line too.  A text with one is always rendered.
_WORDS_AS_ATTRIBUTES = re.compile(r"\r|(?m:^[ \t>*+\-\d.)]*(?:#|!!!|\?\?\?)|^[ \t>]*[=-]+[ \t]*$)")


def same_shape(msgid: str, msgstr: str, config: MarkdownConfig) -> bool:
    """Whether the two texts differ in words only (then their skeletons are the same)."""
    # Raw HTML is always rendered: Python-Markdown reads it in more ways than one.  So is a text
    # that starts indented: after a definition of the page it continues that definition.
    return (set(config.extensions) <= _SHAPE_EXTENSIONS and "<" not in msgid
            and not _WORDS_AS_ATTRIBUTES.search(msgid) and _balanced_braces(msgid) and not msgid[:1].isspace()
            and shape(msgid) == shape(msgstr))


def _balanced_braces(text: str) -> bool:
    """Whether every "{" is closed in order: an open one would take in the {#id} a heading's frame
    ends with, and toc would then name the heading after its words."""
    if "{" not in text and "}" not in text:
        return True
    depth = 0
    for character in text:
        if character == "{":
            depth += 1
        elif character == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _parts(item: Any) -> tuple[str, Attributes]:
    """The tag (``/a`` for an end tag) and attributes of a skeleton item, or what it is."""
    if item[0] in ("open", "close"):
        return ("" if item[0] == "open" else "/") + item[1], item[2] if item[0] == "open" else ()
    if len(item) == 2 and isinstance(item[1], tuple):
        return item[0], item[1]
    return str(item[0]), ()


def _describe(item: Any) -> str:
    tag, attrs = _parts(item)
    if item[0] == "code in":
        return "math" if item[1] == "math" else f"the code of a <{item[1]}>"
    if item[0] in ("comment", "declaration", "processing instruction"):
        return f"an HTML {item[0]}"
    shown = "".join(f' {name}="{value}"' if value is not None else f" {name}" for name, value in attrs)
    return f"<{tag}{shown}>"


_UNSAFE_URL = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.I)


def _kind_of_change(added: list[Any], missing: list[Any]) -> str:
    """The check a change belongs to, so the translator reads what to fix."""
    parts = [_parts(item) for item in added + missing]
    tags = {tag.lstrip("/") for tag, _ in parts}
    names = {name for _, attrs in parts for name, _ in attrs}
    values = [str(value) for _, attrs in parts for _, value in attrs]
    if any(_UNSAFE_URL.match(value) for value in values):
        return "html"
    if "sup" in tags or any("fn" in value and ":" in value for value in values):
        return "footnotes"
    if Counter(_parts(item)[0] for item in added) == Counter(_parts(item)[0] for item in missing):
        # The same elements with other attributes.
        return "ids" if "id" in names else "links" if names & {"href", "src"} else "html"
    if tags <= {"a", "img"} and names <= {"href", "src"}:
        return "links"
    if tags <= {"code"}:
        return "code"
    if tags <= {"strong", "em"}:
        return "emphasis"
    if tags <= MARKDOWN_BLOCKS | {"br"}:
        return "blocks"
    return "html"


def _flat(tree: tuple[Any, ...]) -> Counter[Any]:
    found: Counter[Any] = Counter()
    for item in tree:
        if item[0] == "inline":
            found.update(dict(item[1]))
        else:
            found[item] += 1
    return found


def compare(english: Rendering, translated: Rendering) -> Iterable[Finding]:
    if english.skeleton != translated.skeleton:
        before, after = _flat(english.skeleton), _flat(translated.skeleton)
        missing, added = sorted((before - after).elements(), key=repr), sorted((after - before).elements(), key=repr)
        parts = [f"adds {', '.join(map(_describe, added[:4]))}" if added else "",
                 f"drops {', '.join(map(_describe, missing[:4]))}" if missing else ""]
        detail = "; ".join(part for part in parts if part) or "puts the blocks in another order"
        kind = _kind_of_change(added, missing) if added or missing else "blocks"
        yield Finding(kind, "error", f"the translation changes the page, not only its words: it {detail}",
                      "keep the Markdown of the English text (links and their targets, `code`, **bold**, "
                      "[^notes], line starts) and translate only the words; no HTML")
    elif english.definitions != translated.definitions:
        yield Finding("definitions", "error",
                      "the translation defines a link, footnote or abbreviation that the English does not",
                      "remove the [label]: … line you added")


def verdict(msgid: str, msgstr: str, kind: str = "paragraph", context: Context = EMPTY,
            config: MarkdownConfig = DEFAULT, lang: str | None = None) -> tuple[Finding, ...]:
    """Why this translation may not be published (errors), or nothing: it changes words only."""
    return _verdict(msgid, msgstr, (kind,), context, config, lang)


@lru_cache(maxsize=65536)
def _verdict(msgid: str, msgstr: str, kinds: tuple[str, ...], context: Context, config: MarkdownConfig,
             lang: str | None) -> tuple[Finding, ...]:
    """The verdict in every one of *kinds* (a message's frames): what does not depend on the frame
    (the characters, the words' rules, whether only words differ) is decided once."""
    found = list(characters(msgid, msgstr))
    found.extend(line_syntax(msgid, msgstr))
    if any(kind in TEMPLATE_KINDS for kind in kinds):
        found.extend(template_characters(msgid, msgstr))
    if "interface" in kinds:
        found.extend(placeholders(msgid, msgstr))
    # A control character could confuse the renderer's verdict: it is refused already.  Texts
    # of the same shape render to the same skeleton in every frame.
    if not found and not same_shape(msgid, msgstr, config):
        for kind in kinds:
            found.extend(compare(render(msgid, kind, context, config), render(msgstr, kind, context, config)))
    found.extend(checks.text_errors(msgid, msgstr, lang))
    return tuple(dict.fromkeys(found))


def review(msgid: str, msgstr: str, kind: str = "paragraph", context: Context = EMPTY,
           config: MarkdownConfig = DEFAULT, lang: str | None = None) -> list[Finding]:
    """The verdict's errors, then the advisory warnings of ``checks``."""
    return [*verdict(msgid, msgstr, kind, context, config, lang), *checks.warnings(msgid, msgstr)]


# Tables of a page or of the interface ----------------------------------------------------------------


@dataclass(frozen=True)
class Refusal:
    """A translation the gate refused: where it is, its English, and why."""

    path: str | None
    line: int | None
    msgid: str
    findings: tuple[Finding, ...] = field(default=())

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else (self.path or "site-gen")
        first = self.findings[0]
        return (f"{where}: warning: [{first.check}] {first.message} (msgid: {short(self.msgid)!r}); "
                f"the English is shown instead\n  fix: {first.fix}")


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def kinds_of(page: Page | None, msgid: str) -> tuple[str, ...]:
    """The frames a message takes: its places in *page*, or without a page an interface string's
    (the theme prints it; site_gen's status and search pages put some into Markdown)."""
    if page is None:
        return ("interface", *interface.frames(msgid))
    segments = page.messages().get(msgid)
    kinds = [s.kind for s in segments] if segments else ["paragraph"]
    # A paragraph's container may be a list item, where its lines can start new items.
    return tuple(dict.fromkeys(k for kind in kinds for k in ((kind, "item") if kind == "paragraph" else (kind,))))


def verdict_in(page: Page | None, msgid: str, msgstr: str, context: Context, config: MarkdownConfig,
               lang: str | None) -> tuple[Finding, ...]:
    """The verdict on a message in every place it has in *page* (``None``: the interface catalog)."""
    return _verdict(msgid, msgstr, kinds_of(page, msgid), context, config, lang)


def judge_table(page: Page | None, table: Mapping[str, Translation], config: MarkdownConfig,
                lang: str | None) -> list[Refusal]:
    """The refused entries of one catalog's table: a page's (only its messages are published) or,
    with ``page=None``, the interface catalog's."""
    context = page_context(page.lines) if page is not None else EMPTY
    refused = []
    for msgid, entry in table.items():
        if entry.state is not State.TRANSLATED or (page is not None and msgid not in page.messages()):
            continue  # never published: nothing to judge
        found = verdict_in(page, msgid, entry.text, context, config, lang)
        if found:
            refused.append(Refusal(entry.path, entry.line, msgid, found))
    if page is not None:
        published = {msgid: entry.text for msgid, entry in table.items() if entry.state is State.TRANSLATED
                     and all(refusal.msgid != msgid for refusal in refused)}
        for msgid, finding in unused_abbreviations(page, published).items():
            entry = table[msgid]
            refused.append(Refusal(entry.path, entry.line, msgid, (finding,)))
    return refused


def accepted(table: Mapping[str, Translation], refusals: Iterable[Refusal]) -> dict[str, Translation]:
    """The table without its refused entries: the English is shown for those."""
    refused = {refusal.msgid for refusal in refusals}
    return {msgid: entry for msgid, entry in table.items() if msgid not in refused}

"""Stage 6: put the language builds together into one site.

Adds what belongs to no single language: the root language chooser, the root
``404.html`` (which picks the language from the path), one ``sitemap.xml`` with
hreflang alternates, and checks that nothing loads from another host.

Each language's build hands over a :class:`Part`: its folder, its offline ZIP part and
a manifest of what assembly needs.  A one-machine build joins the parts its workers
made; ``site-gen assemble`` joins parts built on other machines (``site-gen build
--lang uk --part DIR``), read from their manifests: the same parts, the same site.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import astuple, dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from site_gen import search
from site_gen.errors import SiteGenError, SiteGenErrors
from site_gen.generate import Language, LanguageSite, html_path
from site_gen.offline import Entry, OfflineCopy

if TYPE_CHECKING:
    from site_gen.project import Project

#: Attributes through which a page loads something (an <a href> is not loaded).
LOADING_ATTRIBUTES = {
    "script": ("src",), "img": ("src", "srcset"), "iframe": ("src",), "source": ("src", "srcset"),
    "video": ("src", "poster"), "audio": ("src",), "embed": ("src",), "object": ("data",),
    "track": ("src",), "input": ("src",),
}
LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "manifest",
                     "prefetch", "preconnect", "dns-prefetch", "apple-touch-icon", "mask-icon"}
EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)


@dataclass
class LanguageChecks:
    """What the pass over one language's output found: privacy problems and CSP hashes."""

    problems: list[SiteGenError] = field(default_factory=list)
    scripts: set[str] = field(default_factory=set)
    styles: set[str] = field(default_factory=set)
    #: page → the digests of the inline scripts that run in it, the language's folder named alike
    #: (see ``script_keys``), to compare with the source language's same page.
    page_scripts: dict[str, list[str]] = field(default_factory=dict)
    #: Other hosts the pages may load from (``extra.site_gen.privacy``), for the CSP.
    hosts: set[str] = field(default_factory=set)

    def as_json(self) -> dict[str, Any]:
        return {"scripts": sorted(self.scripts), "styles": sorted(self.styles), "hosts": sorted(self.hosts),
                "problems": [[e.path, e.line, e.message, e.fix] for e in self.problems],
                "pages": self.page_scripts}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LanguageChecks:
        return cls([SiteGenError(*problem) for problem in data.get("problems", [])], set(data["scripts"]),
                   set(data["styles"]), dict(data["pages"]), set(data.get("hosts", [])))


# --- Parts: one language's finished build ----------------------------------------------

#: The file of a part's folder that says what the part is (``Part.manifest``).
MANIFEST = "manifest.json"
#: Its offline ZIP part (``offline.write_part``).
OFFLINE_PART = "offline.part"
#: Raised when a manifest's layout changes: an older part is then refused, not misread.
PART_FORMAT = 1


@dataclass
class Part:
    """What assembly needs of one language's build, beside its folder of pages.

    Written as a part's ``manifest.json`` (stable bytes: the same build, the same file) and
    read back the same way whether the part was built in this process's workers or on
    another machine, so that a one-machine build and an assembly of parts are one path.
    """

    lang: Language
    #: The site's name and description in this language, and its interface strings (root pages).
    site_name: str
    site_description: str
    ui: dict[str, str]
    #: The language's messages by state, over all pages (``Counts``' fields).
    counts: dict[str, int]
    #: One entry per page translated into this language: its URL, last update, alternates.
    sitemap: list[dict[str, Any]]
    checks: LanguageChecks
    #: page → digest of the skeleton of its rendered Markdown (``gate.page_digest``).
    skeletons: dict[str, str]
    #: MkDocs' warnings on its build (which succeeded), naming the source files.
    warnings: list[str]
    #: The build's date (SOURCE_DATE_EPOCH): the offline ZIP's entries carry it.
    epoch: str
    #: The offline ZIP part's entries and size.
    offline: list[Entry]
    offline_size: int
    #: What the part was built from (``build.fingerprint``); empty inside a one-machine build.
    fingerprint: dict[str, Any] = field(default_factory=dict)
    #: Where its offline ZIP part is; not in the manifest.
    offline_file: Path = field(default=Path(OFFLINE_PART), compare=False)

    def manifest(self) -> bytes:
        data = {
            "format": PART_FORMAT,
            "lang": {"code": self.lang.code, "name": self.lang.name, "date_locale": self.lang.date_locale,
                     "published": self.lang.published},
            "site": {"name": self.site_name, "description": self.site_description, "ui": self.ui},
            "counts": self.counts, "sitemap": self.sitemap, "checks": self.checks.as_json(),
            "skeletons": self.skeletons, "warnings": self.warnings, "epoch": self.epoch,
            "offline": {"size": self.offline_size, "entries": [list(astuple(e)) for e in self.offline]},
            "fingerprint": self.fingerprint,
        }
        return (json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()

    @classmethod
    def from_manifest(cls, data: bytes, offline_file: Path, where: str) -> Part:
        """The part a manifest describes; *where*: the manifest's name in errors."""
        try:
            read = json.loads(data)
            if read.get("format") != PART_FORMAT:
                raise SiteGenError(where, None, f"is a part of format {read.get('format')!r}; this site-gen reads "
                                   f"format {PART_FORMAT}", "build the part again with this site-gen")
            lang, site = read["lang"], read["site"]
            return cls(Language(lang["code"], lang["name"], lang["date_locale"], bool(lang["published"])),
                       site["name"], site["description"], dict(site["ui"]), dict(read["counts"]),
                       list(read["sitemap"]), LanguageChecks.from_json(read["checks"]), dict(read["skeletons"]),
                       list(read["warnings"]), str(read["epoch"]),
                       [Entry(*fields) for fields in read["offline"]["entries"]], int(read["offline"]["size"]),
                       dict(read["fingerprint"]), offline_file)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise SiteGenError(where, None, f"is not a manifest site-gen can read ({type(error).__name__}: {error})",
                               "give the folder 'site-gen build --lang LANG --part DIR' wrote, unchanged") from None


def part_differences(name: str, part: Part, expected: Mapping[str, Any]) -> list[SiteGenError]:
    """What makes *part* (its folder called *name*) another build than this checkout's
    (*expected*: ``build.fingerprint``): each difference, named, as an error."""
    found = part.fingerprint
    code = part.lang.code
    fix = (f"build the {code} part again from this checkout with the same locked versions "
           f"(site-gen build --lang {code} --part DIR), or assemble in the checkout it was built from")
    problems: list[str] = []
    if found.get("site_gen") != expected["site_gen"]:
        problems.append(f"was built by site_gen {found.get('site_gen')}; this is site_gen {expected['site_gen']}")
    elif found.get("code") != expected["code"]:
        problems.append(f"was built by other site_gen code (its modules or theme differ: {found.get('code')} "
                        f"here {expected['code']})")
    tools, ours = found.get("tools") or {}, expected["tools"]
    for tool in sorted({*tools, *ours}):
        if tools.get(tool) != ours.get(tool):
            problems.append(f"was built with {tool} {tools.get(tool, '(none)')}; this has {ours.get(tool, '(none)')}")
    if found.get("config") != expected["config"]:
        problems.append("was built from another config (mkdocs.yml, the files it INHERITs, hooks or theme "
                        "overrides differ)")
    sources, ours = found.get("sources") or {}, expected["sources"]
    changed = [folder for folder in sorted({*sources, *ours}) if sources.get(folder) != ours.get(folder)]
    if changed:
        problems.append(f"was built from other sources: {', '.join(f'{folder}/' for folder in changed)} "
                        "differ from this checkout's")
    return [SiteGenError(name, None, f"part of '{code}' {problem}", fix) for problem in problems]


def sitemap_entries(site: LanguageSite, site_url: str, source: str) -> list[dict[str, Any]]:
    """The sitemap's entries for one language: every real translation, with its alternates."""
    entries: list[dict[str, Any]] = []
    for page_path, facts in site.facts.items():
        alternates = [alt for alt in facts.get("alternates", []) if alt["translation"]]
        own = next((alt for alt in alternates if alt["lang"] == site.lang.code), None)
        if own is None:
            continue  # an untranslated page is not a translation
        updated = (facts.get("dates") or {}).get("last_updated")
        entries.append({"loc": own["url"], "lastmod": updated["iso"] if updated else None,
                        "alternates": [[alt["lang"], alt["url"]] for alt in alternates]
                        + [["x-default", site_url + source + "/" + html_path(page_path)]]})
    return entries


@dataclass(frozen=True)
class Privacy:
    """``extra.site_gen.privacy``: *strict* fails the build on a load from another host that is
    not allowed, *warn* prints it and goes on; *allow*: hosts (``img.shields.io``, ``*.example.org``)."""

    mode: str = "strict"
    allow: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> Privacy:
        value = settings.get("privacy") or {}
        assert isinstance(value, dict)  # checked by config_schema
        return cls(str(value.get("mode", "strict")), tuple(str(host).lower() for host in value.get("allow") or ()))

    def allows(self, url: str) -> bool:
        host = host_of(url)
        return any(host == allowed or (allowed.startswith("*.") and host.endswith(allowed[1:]))
                   for allowed in self.allow)


def host_of(url: str) -> str:
    """The host (and port) a URL loads from, lower-cased: ``//cdn.example/a.png`` → ``cdn.example``."""
    return urlsplit(url.strip()).netloc.rsplit("@", 1)[-1].lower()


def finish_language(language_dir: Path, site_root: Path, lang: str, privacy: Privacy = Privacy()) -> LanguageChecks:
    """One read and one write of each page of a language: privacy check, search index, CSP."""
    checks = LanguageChecks()
    checks.hosts.update(privacy.allow)
    for name in ("sitemap.xml", "sitemap.xml.gz"):  # one sitemap for all languages, at the root
        (language_dir / name).unlink(missing_ok=True)
    index = search.IndexWriter(language_dir, lang)
    for path in sorted(language_dir.rglob("*")):
        if path.suffix not in (".html", ".css"):
            continue
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(site_root).as_posix()
        found = [item for item in (_css_resources(text) if path.suffix == ".css" else _html_resources(text))
                 if not privacy.allows(item[2])]
        checks.problems += _located(where, found)
        # Allowed hosts, and in warn mode the hosts found, are let through by the CSP too.
        hosts = sorted({*privacy.allow, *(host_of(url) for _, _, url in found if privacy.mode == "warn")})
        checks.hosts.update(hosts)
        if path.suffix == ".css":
            continue
        index.add(search.page_docs(path.relative_to(language_dir).as_posix(), text))
        checks.page_scripts[path.relative_to(language_dir).as_posix()] = script_keys(text, lang)
        secured, scripts, styles = secure_page(text, hosts)
        checks.scripts.update(scripts)
        checks.styles.update(styles)
        if secured != text:
            path.write_text(secured, encoding="utf-8")
    index.close()
    return checks


def assemble(out: Path, project: Project, parts: Sequence[Part], site_url: str, offline: OfflineCopy) -> None:
    """The site's root files, checks over the whole site, and the offline copy's last files."""
    source = project.source_language
    ui = {part.lang.code: part.ui for part in parts}
    names = {part.lang.code: part.lang.name for part in parts if part.lang.published}
    about = {part.lang.code: (part.site_name, part.site_description) for part in parts}
    checks = [part.checks for part in parts]
    icon = f"{source}/assets/images/favicon.png" if (out / source / "assets/images/favicon.png").is_file() else ""
    root_pages = {"index.html": chooser_page(names, ui, source, about, icon),
                  "404.html": not_found_page(names, ui, source, f"/{icon}" if icon else "")}
    for name, text in root_pages.items():
        secured, scripts, styles = secure_page(text)
        checks.append(LanguageChecks(_located(name, _html_resources(text)), set(scripts), set(styles)))
        (out / name).write_text(secured, encoding="utf-8")
    problems = [problem for found in checks for problem in found.problems]
    if problems and Privacy.from_settings(project.settings).mode == "warn":
        for problem in problems:
            print(str(problem).replace(": error: ", ": warning: ", 1), file=sys.stderr)
    elif problems:
        raise SiteGenErrors(problems)
    if site_url:
        (out / "sitemap.xml").write_text(sitemap([entry for part in parts for entry in part.sitemap]),
                                         encoding="utf-8")
    hashes = (set().union(*(c.scripts for c in checks)), set().union(*(c.styles for c in checks)))
    hosts = set().union(*(c.hosts for c in checks))
    (out / "_headers").write_text(headers_file(hashes, hosts, fingerprinted_files(out)), encoding="utf-8")
    for name in sorted(path.name for path in out.iterdir() if path.is_file()):
        offline.add(out / name, name)
    offline.close()


def _located(where: str, found: list[tuple[int, str, str]]) -> list[SiteGenError]:
    return [SiteGenError(where, line, f"{kind} loads {url!r} from another host",
                         "readers must not call other hosts: bundle the file in content/ or remove it; "
                         f"or allow the host: extra.site_gen.privacy: {{allow: [{host_of(url) or 'HOST'}]}} "
                         "(or mode: warn)")
            for line, kind, url in found]


# --- Security headers without a server -------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S | re.I)
SCRIPT_TYPES = ("", "text/javascript", "module", "application/javascript")


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def running_scripts(html: str) -> list[str]:
    """The bodies of a page's inline scripts that run (not data blocks, not external files)."""
    bodies = []
    for attributes, body in INLINE_SCRIPT.findall(html):
        kind = re.search(r"""\btype\s*=\s*["']?([^"'\s>]+)""", attributes)
        if "src=" in attributes.replace(" ", "") or (kind and kind.group(1).lower() not in SCRIPT_TYPES):
            continue
        bodies.append(body)
    return bodies


def inline_hashes(html: str) -> tuple[list[str], list[str]]:
    """CSP hashes of the inline scripts (that run) and inline styles of a page."""
    scripts = [_sha256(body) for body in running_scripts(html)]
    styles = [_sha256(body) for body in INLINE_STYLE.findall(html)]
    return sorted(set(scripts)), sorted(set(styles))


def script_keys(html: str, lang: str) -> list[str]:
    """Digests of a page's running inline scripts, with its language's folder (``/uk/``: Material
    writes it into the 404 page's script) named alike in every language."""
    return sorted({_sha256(body.replace(f"/{lang}/", "/\0/")) for body in running_scripts(html)})


def unknown_scripts(checks: Mapping[str, LanguageChecks], source: str) -> list[SiteGenError]:
    """Inline scripts of a translated page that its source-language page does not have.

    The theme and site_gen put the same scripts in every language's page, and the author's
    own are in the source page; any other would be the work of a catalog, and the CSP must
    not let it run, so the build stops.
    """
    known = checks[source].page_scripts
    return [
        SiteGenError(f"{lang}/{page}", None,
                     f"the page has {len(set(keys) - set(known.get(page, [])))} inline script(s) that the "
                     f"{source} page does not have; a translation may not add a script",
                     "find the catalog entry of this page that adds <script> (site-gen check names it)")
        for lang, found in checks.items() if lang != source
        for page, keys in found.page_scripts.items() if set(keys) - set(known.get(page, []))
    ]


def policy(scripts: list[str], styles: list[str], meta: bool = True, hosts: Iterable[str] = ()) -> str:
    """The Content-Security-Policy; *hosts*: other hosts the site may load from (``privacy.allow``)."""
    other = "".join(f" {host}" for host in sorted(hosts))
    rules = [
        "default-src 'none'",
        "script-src 'self'" + other + "".join(f" {digest}" for digest in scripts),
        "style-src 'self'" + other + "".join(f" {digest}" for digest in styles),
        "img-src 'self' data:" + other,
        "font-src 'self'" + other,
        *([f"media-src{other}", f"frame-src{other}"] if other else []),
        "connect-src 'self'",
        "manifest-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
    if not meta:
        rules.append("frame-ancestors 'none'")  # ignored in a <meta> policy
    return "; ".join(rules)


CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>\n?')
REFERRER_META = re.compile(r'<meta name="referrer"[^>]*>\n?')
HEAD = re.compile(r"<head[^>]*>\n?")
CHARSET_META = re.compile(r'\s*<meta charset="[^"]*">\n?', re.I)


def secure_page(html: str, hosts: Iterable[str] = ()) -> tuple[str, list[str], list[str]]:
    """The page with a strict CSP <meta> (hashes of its own inline code; *hosts*: other hosts it
    may load from) and no referrer, right after ``<meta charset>``: the encoding must be declared
    in the first 1,024 bytes, and the policy grows with every inline script's hash."""
    html = CSP_META.sub("", html, count=1)
    scripts, styles = inline_hashes(html)
    head = HEAD.search(html)
    if head is None:
        return html, scripts, styles
    charset = CHARSET_META.match(html, head.end())
    start = charset.end() if charset else head.end()
    tags = (f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts, styles, hosts=hosts)}">\n'
            '<meta name="referrer" content="no-referrer">\n')
    rest = REFERRER_META.sub("", html[start:], count=1)
    before = html[:start] if not charset else html[:head.end()] + charset.group(0).strip() + "\n"
    return before + tags + rest, scripts, styles


#: A file named by its content (Material's ``main.<hash>.min.css``, ``bundle.<hash>.min.js``,
#: site_gen's ``site_gen.<hash>.css``): a new version is a new name, so browsers may keep it.
FINGERPRINTED = re.compile(r"\.[0-9a-f]{8,}\.(?:min\.)?(?:css|js)$")
SHORT_CACHE = "public, max-age=300"
LONG_CACHE = "public, max-age=31536000, immutable"


def fingerprinted_files(out: Path) -> list[str]:
    return sorted(path.relative_to(out).as_posix() for path in out.glob("*/assets/**/*")
                  if path.is_file() and FINGERPRINTED.search(path.name))


def headers_file(hashes: tuple[set[str], set[str]], hosts: Iterable[str] = (),
                 fingerprinted: Sequence[str] = ()) -> str:
    """Headers for static hosts that read a _headers file (Netlify, Cloudflare Pages).

    Both add up the headers of every rule a path matches (the same header twice becomes one
    comma-joined value), so caching rules never overlap: pages, feeds and the sitemap (one or
    two path segments, ``:name`` matching one) are cached for five minutes, each fingerprinted
    file for a year, by its exact path; anything else gets the host's default (revalidate).
    """
    scripts, styles = (sorted(h) for h in hashes)
    short = "".join(f"{path}\n  Cache-Control: {SHORT_CACHE}\n" for path in ("/", "/:file", "/:lang/", "/:lang/:file"))
    long = "".join(f"/{path}\n  Cache-Control: {LONG_CACHE}\n" for path in fingerprinted)
    return (
        "/*\n"
        f"  Content-Security-Policy: {policy(scripts, styles, meta=False, hosts=hosts)}\n"
        "  Referrer-Policy: no-referrer\n"
        "  X-Content-Type-Options: nosniff\n"
        "  X-Frame-Options: DENY\n"
        "  Permissions-Policy: camera=(), microphone=(), geolocation=(), interest-cohort=()\n"
        "  Cross-Origin-Opener-Policy: same-origin\n"
        "# Pages, feeds, the sitemap and the offline copy: a change reaches readers within five minutes.\n"
        f"{short}"
        "# Named by their content: a new version has a new name.\n"
        f"{long}"
    )


SCRIPT = """(function(){var langs=%s,key="site_gen.lang";
function go(l){location.replace(l+"/index.html")}
document.querySelectorAll("a[hreflang]").forEach(function(a){a.addEventListener("click",function(){
try{localStorage.setItem(key,a.getAttribute("hreflang"))}catch(e){}})});
var saved=null;try{saved=localStorage.getItem(key)}catch(e){}
if(saved&&langs.indexOf(saved)>=0){go(saved);return}
var wanted=navigator.languages||[navigator.language||""];
for(var i=0;i<wanted.length;i++){var l=(wanted[i]||"").toLowerCase().split("-")[0];
if(langs.indexOf(l)>=0){go(l);return}}})();"""


def chooser_script(codes: list[str]) -> str:
    return SCRIPT % json.dumps(codes)


def _page(title: str, lang: str, body: str, script: str = "", description: str = "", icon: str = "") -> str:
    style = ("body{font:1.1rem/1.5 system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;"
             "color:#1a1a1a;background:#fff}a{color:#0b57d0;text-decoration:underline}"
             "h1{font-size:1.6rem;line-height:1.3}h1 span{display:inline-block}"
             "ul{padding:0;list-style:none}li{margin:1.2rem 0}"
             "li a{font-size:1.25rem;font-weight:700}li p{margin:.2rem 0 0}")
    script_tag = f"<script>{script}</script>" if script else ""
    meta = f'<meta name="description" content="{escape(description)}">\n' if description else ""
    meta += f'<link rel="icon" href="{escape(icon)}">\n' if icon else ""
    return (
        f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width,initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"{meta}<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n{body}\n{script_tag}\n"
        "</body>\n</html>\n"
    )


def chooser_page(names: Mapping[str, str], ui: Mapping[str, Mapping[str, str]], source: str,
                 about: Mapping[str, tuple[str, str]] | None = None, icon: str = "") -> str:
    """Links to each language's home page, each with the site's name and description in that
    language (what the site is, before choosing); the heading breaks only between languages."""
    about = about or {}
    items = "\n".join(
        f'<li lang="{code}"><a href="{code}/index.html" hreflang="{code}" lang="{code}">{escape(name)}</a>'
        + (f"<p><strong>{escape(about[code][0])}.</strong> {escape(about[code][1])}</p>" if code in about else "")
        + "</li>"
        for code, name in names.items()
    )
    heading = " · ".join(
        f'<span lang="{code}">{escape(ui[code]["chooser.title"])}</span>' for code in names
    )
    body = f"<main>\n<h1>{heading}</h1>\n<ul>\n{items}\n</ul>\n</main>"
    site_name, description = about.get(source, ("", ""))
    title = f"{site_name}: {ui[source]['chooser.title']}" if site_name else ui[source]["chooser.title"]
    return _page(title, source, body, chooser_script(list(names)), description, icon)


NOT_FOUND_SCRIPT = """(function(){var l=location.pathname.split("/").filter(Boolean),
s=document.querySelectorAll("[data-lang]"),m=null;
for(var i=0;i<l.length&&!m;i++){m=document.querySelector('[data-lang="'+l[i]+'"]')}
if(m){s.forEach(function(e){if(e!==m)e.hidden=true})}})();"""


def not_found_page(names: Mapping[str, str], ui: Mapping[str, Mapping[str, str]], source: str, icon: str = "") -> str:
    sections = "\n".join(
        f'<section data-lang="{code}" lang="{code}">\n<h1>{escape(ui[code]["not_found.title"])}</h1>\n'
        f'<p>{escape(ui[code]["not_found.text"])}</p>\n'
        f'<p><a href="/{code}/index.html">{escape(ui[code]["not_found.home"])} ({escape(name)})</a></p>\n'
        "</section>"
        for code, name in names.items()
    )
    return _page(ui[source]["not_found.title"], source, f"<main>\n{sections}\n</main>", NOT_FOUND_SCRIPT, icon=icon)


def sitemap(entries: Iterable[Mapping[str, Any]]) -> str:
    """One sitemap: every real translation, each listing all its alternates and x-default
    (``sitemap_entries``, language after language)."""
    urls = []
    for entry in entries:
        links = "".join(f'\n    <xhtml:link rel="alternate" hreflang="{lang}" href="{escape(url)}"/>'
                        for lang, url in entry["alternates"])
        # The page's own history dates, as its "last updated" shows them: never the build's clock.
        lastmod = f"\n    <lastmod>{entry['lastmod']}</lastmod>" if entry["lastmod"] else ""
        urls.append(f"  <url>\n    <loc>{escape(entry['loc'])}</loc>{lastmod}{links}\n  </url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n' + "\n".join(urls) + "\n</urlset>\n"
    )


RESOURCE_TAG = re.compile(r"<(script|img|iframe|source|video|audio|embed|object|track|input|link)\b([^>]*)>")
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
STYLE_ELEMENT = re.compile(r"<style\b[^>]*>(.*?)</style>", re.S)
STYLE_ATTRIBUTE = re.compile(r'style\s*=\s*"([^"]*)"')


def _html_resources(html: str) -> list[tuple[int, str, str]]:
    """(line, where, url) of everything a page loads; a regex scan, linear in the page size."""
    found = []
    # Matching on a lower-cased copy finds <IMG SRC=…> too, without a slow case-insensitive scan;
    # attribute values are read from the original text.
    lowered = html.lower()
    for tag in RESOURCE_TAG.finditer(lowered):
        attributes = tag.group(2)
        if "//" not in attributes and "&" not in attributes:
            continue  # only a URL with "//" (perhaps as character references) leaves the site
        tag_text = html[tag.start(2):tag.end(2)] if len(lowered) == len(html) else tag.group(2)
        name = tag.group(1).lower()
        values = {m.group(1).lower(): unescape(m.group(2) or m.group(3) or m.group(4) or "")
                  for m in ATTRIBUTE.finditer(tag_text)}
        names = LOADING_ATTRIBUTES.get(name, ())
        if name == "link":
            names = ("href",) if LOADING_LINK_RELS & set(values.get("rel", "").lower().split()) else ()
        for attribute in names:
            for url in values.get(attribute, "").split(","):
                url = url.strip().split(" ")[0]
                if url and EXTERNAL.match(url):
                    found.append((tag.start(), f"<{name} {attribute}>", url))
    # Styles load only through url() or @import.  Each pattern starts with a literal, which the
    # regex engine finds fast, and values are read from the original text when they can be.
    same = len(lowered) == len(html)
    # A style attribute only inside a tag: `<div style="…">` shown in code is text (its < escaped).
    styles = [*STYLE_ELEMENT.finditer(lowered),
              *(m for m in STYLE_ATTRIBUTE.finditer(lowered) if m.start() and lowered[m.start() - 1].isspace()
                and lowered.rfind("<", 0, m.start()) > lowered.rfind(">", 0, m.start()))]
    for block in styles if "url(" in lowered or "@import" in lowered else ():
        css = html[block.start(1):block.end(1)] if same else block.group(1)
        for match in CSS_URL.finditer(css):
            url = match.group(1) or match.group(2)
            if EXTERNAL.match(url):
                found.append((block.start(), "CSS url()", url))
    # Line numbers are counted only for what is reported, keeping the scan linear.
    return [(html.count("\n", 0, offset) + 1, where, url) for offset, where, url in found]


def _css_resources(text: str) -> list[tuple[int, str, str]]:
    return [(text.count("\n", 0, m.start()) + 1, "CSS url()", m.group(1) or m.group(2))
            for m in CSS_URL.finditer(text) if EXTERNAL.match(m.group(1) or m.group(2))]


def external_resources(folder: Path) -> list[SiteGenError]:
    """Every resource a page or stylesheet under *folder* would load from another host."""
    problems = []
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".html", ".css"):
            text = path.read_text(encoding="utf-8")
            found = _html_resources(text) if path.suffix == ".html" else _css_resources(text)
            problems += _located(path.relative_to(folder).as_posix(), found)
    return problems

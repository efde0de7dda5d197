"""A synthetic explainer corpus: N English pages like the project's own, deterministic per seed.

Each page has the project's front matter (title, description, status, three dates,
sources), a level-1 heading, prose paragraphs (some wrapped over several lines),
bullet and numbered lists, tables, ``!!! note "Title"`` admonitions with a
4-space body, indented code, inline emphasis and code, and links to other pages
(some to a heading anchor).  Pages live at the top level and in three folders, so
links cross folders.  Nothing here imports site_gen.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import random
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify

FOLDERS = ("", "rules", "regions", "guides")

GROUPS = [
    "men aged 18 to 60", "students", "reservists", "people living abroad", "fathers of three children",
    "teachers", "doctors", "people with a disability", "volunteers", "officers in the reserve",
    "foreign citizens", "young people called up for the first time", "civil servants",
    "people with a deferral", "employers",
]
SUBJECTS = [
    "The ministry", "A regional court", "The recruitment office", "Local officials", "Parliament",
    "The government", "A lawyer we spoke to", "The ombudsman", "The border service", "A human rights group",
    "The defence committee", "The tax office", "A newspaper", "The prime minister", "The general staff",
]
SOURCES = [
    "a news report", "the official gazette", "the ministry's website", "a local newspaper",
    "a court ruling", "a press conference", "the draft law", "an interview on national radio",
]
DUTIES = [
    "update their details in the register", "report to the recruitment office", "carry a military ID",
    "answer a summons", "tell the office about a new address", "pass a medical check",
    "show their documents at the border", "keep a copy of the deferral", "register online",
]
CHANNELS = [
    "by post", "through the online portal", "in person at work", "by a text message", "through the app",
    "at a checkpoint", "by a letter to the home address",
]
OFFENCES = [
    "missing a summons", "not updating the register", "leaving without permission", "hiding an address",
    "giving false information", "not carrying a military ID",
]
DOCUMENTS = ["military ID", "deferral certificate", "medical report", "registration card", "summons",
             "residence permit", "exit permit", "student card"]
VERBS_PAST = [
    "published new rules", "changed the deadline", "opened an online register", "cancelled the old form",
    "announced a review", "extended the deferral", "raised the fines", "started sending summons",
    "explained the procedure", "promised more checks",
]
PLACES = [
    "Kyiv", "Lviv", "Odesa", "Kharkiv", "Dnipro", "the capital", "border regions", "rural areas",
    "the north", "the south", "occupied areas", "large cities", "the western regions", "other countries",
]
TOPICS = [
    "Online summons", "Deferrals for students", "The military register", "Fines for missing a summons",
    "Exit rules", "Medical checks", "Appeals against a summons", "Reservists", "The call-up calendar",
    "Documents at the border", "Exemptions for parents", "Foreign citizens in the army", "Volunteer units",
    "Address changes", "Employer duties", "The draft law on mobilisation", "Court rulings",
    "Consular services abroad", "Demobilisation", "Alternative service",
]
SECTIONS = [
    "What the rule says", "Who it applies to", "Deadlines", "How to appeal", "What officials said",
    "What changed", "Documents you need", "Fines and penalties", "Exemptions", "Open questions",
    "How the register works", "What a lawyer said", "Reported cases", "Numbers reported",
    "What is disputed", "Background", "Practical steps", "Timeline of events", "Rules abroad",
    "Key terms",
]
SUBSECTIONS = ["For students", "For parents", "For people abroad", "For employers", "For reservists",
               "Before the change", "After the change", "In practice", "Exceptions"]
ADMONITIONS = [("note", "Not legal advice"), ("warning", "The source has no date"),
               ("note", "How we checked this"), ("tip", "Keep copies of your documents"),
               ("warning", "Rules can change quickly"), ("note", "A word on numbers")]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass
class PagePlan:
    path: str
    title: str
    description: str
    sections: list[str] = field(default_factory=list)

    def anchor(self, heading: str) -> str:
        return slugify(heading, "-")


class Writer:
    """Sentences, paragraphs and blocks of plausible explainer prose."""

    def __init__(self, rng: random.Random, plans: list[PagePlan]) -> None:
        self.rng = rng
        self.plans = plans

    def pick(self, items: list[str] | tuple[str, ...]) -> str:
        return self.rng.choice(items)

    def date_words(self) -> str:
        return f"{self.rng.randint(1, 28)} {self.pick(MONTHS)} {self.rng.randint(2022, 2026)}"

    def clause(self) -> str:
        r = self.rng
        options = [
            lambda: f"{self.pick(GROUPS)} must {self.pick(DUTIES)} within {r.randint(3, 60)} days",
            lambda: f"a summons can be sent {self.pick(CHANNELS)}",
            lambda: f"the fine for {self.pick(OFFENCES)} rose to {r.randint(2, 90) * 1000:,} hryvnias",
            lambda: f"{self.pick(GROUPS)} may ask for a deferral",
            lambda: f"the {self.pick(DOCUMENTS)} is valid for {r.randint(2, 24)} months",
            lambda: f"about {r.randint(2, 95) * 100:,} people in {self.pick(PLACES)} were affected",
            lambda: f"the rule does not apply to {self.pick(GROUPS)}",
            lambda: f"officials in {self.pick(PLACES)} checked the {self.pick(DOCUMENTS)} of passers-by",
        ]
        return self.pick(options)()

    def sentence(self, link: bool = True) -> str:
        r = self.rng
        forms = [
            lambda: f"{self.pick(SUBJECTS)} said that {self.clause()}.",
            lambda: f"Under the new law, {self.clause()}.",
            lambda: f"On {self.date_words()}, {self.pick(SUBJECTS).lower()} {self.pick(VERBS_PAST)}.",
            lambda: f"According to {self.pick(SOURCES)}, {self.clause()}.",
            lambda: f"This applies to {self.pick(GROUPS)} who live in {self.pick(PLACES)}.",
            lambda: f"In {self.pick(PLACES)}, {self.clause()}, but the rule was later changed.",
            lambda: f"It is not clear whether {self.clause()}.",
            lambda: f"{self.pick(SUBJECTS)} {self.pick(VERBS_PAST)} in {r.randint(2022, 2026)}.",
        ]
        text = self.pick(forms)()
        roll = r.random()
        if roll < 0.12:
            words = text.split()
            i = r.randrange(1, max(2, len(words) - 2))
            words[i] = f"**{words[i]}**"
            text = " ".join(words)
        elif roll < 0.20:
            words = text.split()
            i = r.randrange(1, max(2, len(words) - 2))
            words[i] = f"*{words[i]}*"
            text = " ".join(words)
        elif roll < 0.25:
            text = text[:-1] + f" (see form `F-{r.randint(10, 99)}`)."
        if link and r.random() < 0.22:
            text = text[:-1] + f" ({self.link()})."
        return text

    def link(self) -> str:
        target = self.pick(self.plans)
        href = posixpath.relpath(target.path, posixpath.dirname(self.here or ".") or ".")
        if target.sections and self.rng.random() < 0.4:
            href += "#" + target.anchor(self.pick(target.sections))
        text = self.pick([target.title, f"more on {target.title.lower()}", "details", "this page"])
        return f"[{text}]({href})"

    here: str | None = None

    def paragraph(self, sentences: tuple[int, int] = (2, 4), indent: str = "") -> str:
        text = " ".join(self.sentence() for _ in range(self.rng.randint(*sentences)))
        if self.rng.random() < 0.5:
            lines = textwrap.wrap(text, width=self.rng.choice([80, 100, 120]), break_long_words=False,
                                  break_on_hyphens=False)
            return "\n".join(indent + line for line in lines)
        return indent + text

    def bullet_list(self, ordered: bool = False, indent: str = "") -> str:
        items = []
        for number in range(1, self.rng.randint(3, 6) + 1):
            marker = f"{number}." if ordered else "-"
            body = self.sentence() if self.rng.random() < 0.7 else (
                f"**{upper_first(self.pick(DOCUMENTS))}.** {self.sentence()}")
            if self.rng.random() < 0.25:
                body += " " + self.sentence(link=False)
            items.append(f"{indent}{marker} {body}")
            if not ordered and self.rng.random() < 0.08:
                items.append(f"{indent}    - {self.sentence(link=False)}")
        return "\n".join(items)

    def table(self) -> str:
        r = self.rng
        kind = r.random()
        if kind < 0.5:
            rows = ["| Date | What happened | Source |", "|---|---|---|"]
            for _ in range(r.randint(3, 6)):
                day = dt.date(r.randint(2022, 2026), r.randint(1, 12), r.randint(1, 28))
                rows.append(f"| {day.isoformat()} | {self.sentence(link=False)} | {self.link()} |")
        else:
            rows = ["| Group | Deadline | Fine |", "|:---|---:|---:|"]
            for _ in range(r.randint(3, 6)):
                rows.append(f"| {upper_first(self.pick(GROUPS))} | {r.randint(3, 60)} days | "
                            f"{r.randint(2, 90) * 1000:,} hryvnias |")
        return "\n".join(rows)

    def admonition(self) -> str:
        kind, title = self.pick(ADMONITIONS)
        parts = [f'!!! {kind} "{title}"', self.paragraph((1, 3), indent="    ")]
        if self.rng.random() < 0.3:
            parts.append("")
            parts.append(self.bullet_list(indent="    "))
        return "\n".join(parts)

    def code(self) -> str:
        r = self.rng
        return "\n".join([
            f"    Form F-{r.randint(10, 99)}: {self.pick(DOCUMENTS)}",
            f"    Field {r.randint(1, 9)}: registration number",
            f"    Deadline: {r.randint(3, 60)} days",
        ])


def plan_pages(count: int, rng: random.Random) -> list[PagePlan]:
    plans = [PagePlan("index.md", "Summons and recruitment rules, explained",
                      "A plain-language guide to the rules on military summons and recruitment.")]
    seen = set()
    for number in range(1, count):
        folder = FOLDERS[number % len(FOLDERS)]
        topic = rng.choice(TOPICS)
        place = rng.choice(PLACES)
        title = f"{topic} in {place}"
        if title in seen:
            title = f"{title}, part {number}"
        seen.add(title)
        slug = slugify(title, "-")
        path = posixpath.join(folder, f"{slug}-{number:04d}.md") if folder else f"{slug}-{number:04d}.md"
        description = (f"What the rules on {topic.lower()} say for people in {place}, "
                       f"as reported by {rng.choice(SOURCES)}.")
        plans.append(PagePlan(path, title, description, rng.sample(SECTIONS, rng.randint(3, 5))))
    return plans


def front_matter(plan: PagePlan, rng: random.Random) -> str:
    as_of = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 900))
    published = as_of + dt.timedelta(days=rng.randint(1, 60))
    reviewed = published + dt.timedelta(days=rng.randint(0, 200))
    # Titles and descriptions in double quotes, as the project writes them (JSON is valid YAML).
    return "\n".join([
        "---",
        f"title: {json.dumps(plan.title, ensure_ascii=False)}",
        f"description: {json.dumps(plan.description, ensure_ascii=False)}",
        "status: adopted",
        f"as_of: {as_of.isoformat()}",
        f"published: {published.isoformat()}",
        f"last_reviewed: {reviewed.isoformat()}",
        "sources: []",
        "---",
    ]) + "\n"


def page_text(plan: PagePlan, writer: Writer, rng: random.Random) -> str:
    writer.here = plan.path
    blocks = [front_matter(plan, rng).rstrip("\n"), f"# {plan.title}", writer.paragraph((2, 4))]
    if plan.path == "index.md":
        blocks.append("## Pages on this site")
        others = writer.plans[1:51]
        blocks.append("\n".join(f"- [{p.title}]({p.path})" for p in others) or "- No pages yet.")
        blocks.append(writer.admonition())
        return "\n\n".join(blocks) + "\n"
    blocks.append(writer.admonition())
    for heading in plan.sections:
        blocks.append(f"## {heading}")
        for _ in range(rng.randint(1, 3)):
            blocks.append(writer.paragraph())
        roll = rng.random()
        if roll < 0.45:
            blocks.append(writer.bullet_list())
        elif roll < 0.60:
            blocks.append(writer.bullet_list(ordered=True))
        elif roll < 0.80:
            blocks.append(writer.table())
        if rng.random() < 0.25:
            blocks.append(writer.admonition())
        if rng.random() < 0.2:
            blocks.append(f"### {rng.choice(SUBSECTIONS)}")
            blocks.append(writer.paragraph((1, 3)))
        if rng.random() < 0.06:
            blocks.append("The form looks like this:")
            blocks.append(writer.code())
    blocks.append("## Related pages")
    related = rng.sample(writer.plans, min(4, len(writer.plans)))
    blocks.append("\n".join(
        f"- [{p.title}]({posixpath.relpath(p.path, posixpath.dirname(plan.path) or '.')})"
        for p in related))
    return "\n\n".join(blocks) + "\n"


def write_corpus(folder: Path, count: int, seed: int) -> list[str]:
    """Write ``count`` pages into ``folder`` (the docs folder); returns their paths."""
    rng = random.Random(seed)
    plans = plan_pages(count, rng)
    writer = Writer(rng, plans)
    for plan in plans:
        target = folder / plan.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page_text(plan, writer, rng), encoding="utf-8")
    return [p.path for p in plans]


def word_count(folder: Path) -> int:
    return sum(len(p.read_text(encoding="utf-8").split()) for p in folder.rglob("*.md"))

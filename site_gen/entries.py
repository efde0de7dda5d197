"""A catalog entry as the stages after the catalogs see it, and the state it puts a message in.

Its own module so that the stages keep their order: ``catalog`` makes these, ``translate``,
``gate`` and ``generate`` read them, and neither side imports the other for it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class State(StrEnum):
    TRANSLATED = "translated"
    FUZZY = "fuzzy"
    UNTRANSLATED = "untranslated"


class Translation(NamedTuple):
    """One catalog entry as the translate stage needs it.

    A named tuple: a language has tens of thousands, kept pickled between steps, and a
    tuple is both smaller and quicker to unpickle than a dataclass with slots.
    """

    text: str
    fuzzy: bool = False
    #: Where the entry is, for error messages: ``locales/uk/…/page.po`` and line.
    path: str | None = None
    line: int | None = None

    @property
    def state(self) -> State:
        if not self.text:
            return State.UNTRANSLATED
        return State.FUZZY if self.fuzzy else State.TRANSLATED

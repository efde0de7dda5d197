"""The caches in ``build/.cache``: what site_gen worked out before, kept for the next command.

Each entry is keyed by the code that made it (``CODE_KEY``), so a site_gen upgrade never
reads a stale one, and by what it was made from.  A cache file that cannot be read is
empty; one that cannot be written is skipped: a cache never fails a command.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import pickle
from pathlib import Path
from typing import Any

import babel

from site_gen import catalog as catalogs


def _code_key() -> bytes:
    """Caches are keyed by the code that made them, so a site_gen upgrade never reads stale ones."""
    digest = hashlib.sha256(babel.__version__.encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest().encode()


CODE_KEY = _code_key()


class Store:
    """The cache folder: segmented pages by their text, each language's catalogs as tables
    (``translations``) and as the gate let them through (``gated``), and the merges ``update``
    knows to be up to date."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def page(self, key: str) -> Any | None:
        """The segmented page saved under *key* (a digest of its text and settings), or None."""
        with contextlib.suppress(Exception):  # our own cache file; unreadable means absent
            return pickle.loads((self.folder / "pages" / f"{key}.pickle").read_bytes())
        return None

    def keep_page(self, key: str, page: Any) -> None:
        with contextlib.suppress(OSError):
            path = self.folder / "pages" / f"{key}.pickle"
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogs.write_atomic(path, pickle.dumps(page, protocol=pickle.HIGHEST_PROTOCOL), durable=False)

    def tables(self, kind: str, lang: str) -> dict[str, Any]:
        """*lang*'s saved tables of *kind* (``translations``, ``gated``) by catalog name, each
        with the digest it was made from; {} when there are none of this code's."""
        with contextlib.suppress(Exception):  # our own cache file; unreadable means empty
            saved = pickle.loads((self.folder / kind / f"{lang}.pickle").read_bytes())
            if saved["code"] == CODE_KEY:
                return saved["tables"]
        return {}

    def keep_tables(self, kind: str, lang: str, tables: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):
            saved = {"code": CODE_KEY, "tables": tables}
            catalogs.write_atomic(self.folder / kind / f"{lang}.pickle",
                                  pickle.dumps(saved, protocol=pickle.HIGHEST_PROTOCOL), durable=False)

    @property
    def _merges_file(self) -> Path:
        return self.folder / "merged.json"

    def merges(self) -> dict[str, list[str]]:
        """Catalog path → [its template's digest, its own] after the last merge that wrote it."""
        with contextlib.suppress(OSError, ValueError):
            data = json.loads(self._merges_file.read_text(encoding="utf-8"))
            if data.get("code") == CODE_KEY.decode():
                return data["catalogs"]
        return {}

    def keep_merges(self, merged: dict[str, list[str]]) -> None:
        with contextlib.suppress(OSError):
            data = {"code": CODE_KEY.decode(), "catalogs": {**self.merges(), **merged}}
            catalogs.write_atomic(self._merges_file, json.dumps(data, sort_keys=True).encode())

"""One error type for everything a contributor can get wrong.

Every message names the file and line so an editor can jump straight to it, and
says how to fix it: translators are not expected to read a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path


class SiteGenError(Exception):
    """A problem in the project's input, reported as ``file:line: message``."""

    def __init__(
        self,
        path: str | Path | None,
        line: int | None,
        message: str,
        fix: str | None = None,
    ) -> None:
        self.path = str(path) if path is not None else None
        self.line = line
        self.message = message
        self.fix = fix
        super().__init__(str(self))

    def __reduce__(self) -> tuple[type, tuple]:
        # Errors travel back from the build's worker processes.
        return type(self), (self.path, self.line, self.message, self.fix)

    @property
    def location(self) -> str:
        if self.path is None:
            return "site-gen"
        return f"{self.path}:{self.line}" if self.line else self.path

    def __str__(self) -> str:
        text = f"{self.location}: error: {self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text


class SiteGenErrors(SiteGenError):
    """Several problems found in one pass, reported together."""

    def __init__(self, errors: list[SiteGenError]) -> None:
        self.errors = errors
        first = errors[0]
        super().__init__(first.path, first.line, first.message, first.fix)

    def __reduce__(self) -> tuple[type, tuple]:
        return type(self), (self.errors,)

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def os_error(error: OSError) -> SiteGenError:
    """A disk full, a read-only folder, a missing permission, a port in use: as a
    ``SiteGenError`` naming the file and saying what to do, never a traceback."""
    import errno

    no_space = "free some disk space, then run the command again (no file was left half-written)"
    no_permission = "give yourself write permission on it, or run site-gen as its owner"
    fixes = {
        errno.ENOSPC: no_space,
        errno.EDQUOT: no_space,
        errno.EROFS: "the folder is read-only: run site-gen in a writable copy of the project",
        errno.EACCES: no_permission,
        errno.EPERM: no_permission,
        errno.EADDRINUSE: "another program uses this address: pick another port, e.g. -a 127.0.0.1:8001",
    }
    fixes[errno.EFBIG] = "the file is larger than this system lets a process write (ulimit -f); " + no_space
    fix = fixes.get(error.errno or 0, "check that the file and its folder can be read and written")
    where = error.filename
    if isinstance(where, str) and os.path.isabs(where):
        shown = os.path.relpath(where)
        where = where if shown.startswith("..") else shown  # as the contributor sees it from the project
    return SiteGenError(where, None, error.strerror or str(error), fix)

"""Work spread over forked worker processes (the machine's cores), errors gathered.

Workers are forked, so they share what the main process has loaded (the project,
segmented pages, imported modules) without reading or importing it again; only
the arguments and results travel between processes.  What every item's work needs
besides its argument is handed over one way: ``Background(..., share={...})``, read
in the work with ``shared(name)``, whether it runs in a worker or in this process.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Generic, TypeVar

from site_gen.errors import SiteGenError, SiteGenErrors

T = TypeVar("T")
R = TypeVar("R")


def _exit_with(parent: int) -> None:
    """Runs in each worker: when the main process dies (killed, say), the worker goes too.

    A forked worker holds both ends of its task pipe, so it would otherwise wait forever.
    Ctrl-C reaches every process of the terminal's group; a worker leaves it to the main
    process, which stops the pools, instead of printing a traceback of its own.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent around the fork

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.25)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


#: What the work of the pool now running (forked, or here) was given: ``Background``'s *share*.
#: Set only while a pool forks or runs an item here, so this process keeps no reference.
_GIVEN: dict[str, Any] = {}


def shared(name: str) -> Any:
    """The value *name* the ``Background`` running this work was given in its *share*."""
    try:
        return _GIVEN[name]
    except KeyError:
        raise LookupError(f"{name!r} was not shared with this work: pass it in Background(..., share=...)") from None


@contextlib.contextmanager
def _giving(share: dict[str, Any]) -> Iterator[None]:
    before = dict(_GIVEN)
    _GIVEN.clear()
    _GIVEN.update(share)
    try:
        yield
    finally:
        _GIVEN.clear()
        _GIVEN.update(before)


def cores() -> int:
    return os.cpu_count() or 1


#: Every pool not yet shut down.  ``site-gen`` ends its process with ``os._exit`` after the
#: ``atexit`` clean-ups, and multiprocessing's clean-up joins every worker: a pool left
#: running there (an error before its results were asked for) waits for work for ever.
_LIVE: set[Background] = set()


def shutdown_all(terminate: bool = False) -> None:
    """Stop every pool still running: its waiting work is cancelled, and its workers end after
    their current item, or at once with *terminate* (Ctrl-C: nothing they write is kept)."""
    for background in list(_LIVE):
        background.close(terminate)


class Background(Generic[T, R]):
    """*function* over *items* in forked worker processes, started at once; ``results()``
    waits for them and gives them in the order of *items*, or raises every error together.

    Without fork (or with one worker and *start_now* false) the work is done in this
    process when the results are asked for.  *share*: what *function* reads with
    ``shared(name)``, the same in a forked worker and in this process.
    """

    def __init__(self, function: Callable[[T], R], items: Iterable[T], workers: int,
                 start_now: bool = False, share: dict[str, Any] | None = None) -> None:
        self.function, self.items = function, list(items)
        self.share = dict(share or {})
        self.pool: ProcessPoolExecutor | None = None
        wanted = (workers > 1 and len(self.items) > 1) or (start_now and bool(self.items))
        if wanted and "fork" in multiprocessing.get_all_start_methods():
            # Frozen, the objects the workers inherit are never walked by their garbage
            # collector, so their memory pages stay shared instead of being copied.
            gc.freeze()
            # Ctrl-C waits while the workers are forked: arriving during a fork, it would be
            # raised inside logging's after-fork hook, where Python reports and drops it, and
            # the command would go on.  Unblocked below, it is raised here like anywhere else.
            blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                # The workers are forked at the first submit, each with *share* in ``_GIVEN``.
                with _giving(self.share):
                    self.pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(self.items))),
                                                    mp_context=multiprocessing.get_context("fork"),
                                                    initializer=_exit_with, initargs=(os.getpid(),))
                    _LIVE.add(self)
                    self.futures: list[Future[R]] = [self.pool.submit(function, item) for item in self.items]
            finally:
                gc.unfreeze()
                signal.pthread_sigmask(signal.SIG_SETMASK, blocked)

    def close(self, terminate: bool = False) -> None:
        """Shut the workers down (at once with *terminate*); safe to call more than once."""
        _LIVE.discard(self)
        if self.pool is None:
            return
        if terminate:
            # Workers may be in the middle of an item; they write only caches and scratch
            # folders, atomically or thrown away, so ending them loses nothing.
            for process in list(getattr(self.pool, "_processes", {}).values()):
                with contextlib.suppress(OSError, AttributeError):
                    process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)

    def results(self) -> Iterator[R]:
        if self.pool is None:
            for item in self.items:
                with _giving(self.share):
                    result = self.function(item)
                yield result
            return
        try:
            errors: list[SiteGenError] = []
            for future in self.futures:
                try:
                    result = future.result()
                except SiteGenErrors as error:
                    errors.extend(error.errors)
                except SiteGenError as error:
                    errors.append(error)
                else:
                    if not errors:
                        yield result
            if errors:
                raise SiteGenErrors(errors)
        except KeyboardInterrupt:
            self.close(terminate=True)
            raise
        finally:
            self.close()


def split(items: list[T], parts: int) -> list[list[T]]:
    """*items* dealt into at most *parts* non-empty lists of about equal length."""
    parts = max(1, min(parts, len(items)))
    return [items[index::parts] for index in range(parts)]

"""site_gen: English Markdown pages plus gettext catalogs → one multilingual static site.

The pipeline, one module per stage:

    segment    Markdown page → translation units with source positions
    catalog    units ⇄ gettext catalogs (.pot/.po), merged with Babel
    translate  page + catalog → translated Markdown, with per-message states
    build      translated pages → one MkDocs build per language (the only MkDocs user)
    checks     rules run on translations and pages
    project    configuration and files on disk
    cli        the site-gen command
"""

import os as _os
import signal as _signal
import sys as _sys

__version__ = "0.1.0"


def _interrupted_while_starting(signum: int, frame: object) -> None:
    # Nothing is written before the command has started: one line, and out.
    _os.write(2, b"interrupted; nothing was left half-written\n")
    _os._exit(130)


# Run as the site-gen command, Ctrl-C while Python still imports site_gen
# says one line, not a traceback; cli.run() hands Ctrl-C back to Python once it starts.  Only
# the command: a program that imports site_gen keeps its own Ctrl-C.
if _os.path.basename(_sys.argv[0] if _sys.argv else "") == "site-gen" \
        and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _interrupted_while_starting)

"""Browser tests: the built site in Debian's headless Chromium, driven by Playwright.

They run only when ``SITE_GEN_BROWSER=1`` (``.ci/browser`` sets it, inside a network
namespace with nothing but loopback); the main ``pytest`` run reports them as skipped.
The site is built once per session into a temporary copy of the project and served by
Python's ``http.server`` on 127.0.0.1 at a free port.  Playwright's own browser downloads
are never used: ``executable_path`` points at ``/usr/bin/chromium``.
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, ENABLED, ROOT, Site, Visit
from tests.conftest import copy_project


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``browser``, and skip them unless SITE_GEN_BROWSER=1."""
    here = Path(__file__).parent
    skip = pytest.mark.skip(reason="browser tests: run .ci/browser (sets SITE_GEN_BROWSER=1)")
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)
            if not ENABLED:
                item.add_marker(skip)


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``site-gen build`` run once on a temporary copy of content/, locales/ and mkdocs.yml."""
    project = tmp_path_factory.mktemp("browser-project")
    copy_project(project)
    site_gen = Path(sys.executable).with_name("site-gen")
    command = [str(site_gen)] if site_gen.exists() else [sys.executable, "-m", "site_gen"]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run([*command, "-f", str(project / "mkdocs.yml"), "build"],
                          cwd=project, capture_output=True, text=True, env=env)
    assert done.returncode == 0, f"site-gen build failed:\n{done.stdout}\n{done.stderr}"
    return project / "site"


@pytest.fixture(scope="session")
def site(built_site: Path) -> Iterator[Site]:
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    settings = config["extra"]["site_gen"]
    handler = functools.partial(_Quiet, directory=str(built_site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Site(built_site, f"http://127.0.0.1:{server.server_port}",
                   tuple(settings["languages"]), settings["source_language"])
    finally:
        server.shutdown()
        server.server_close()


# --- the browser ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or run .ci/browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        # launch() gives the browser a fresh temporary profile, removed on close.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser: Any) -> Iterator[Any]:
    """Make browser contexts (``new_context(**options)``), all closed after the test."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        options.setdefault("locale", "en-US")
        context = browser.new_context(**options)
        context.set_default_timeout(15_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


# --- one visit of every page, shared by the request and console tests ------------------------


def visit_all(browser: Any, site: Site, javascript: bool) -> list[Visit]:
    """Load every page with JavaScript on or off, recording every request and every error."""
    visits = []
    context = browser.new_context(java_script_enabled=javascript, locale="en-US")
    context.set_default_timeout(15_000)
    try:
        for path in site.all_pages():
            visit = Visit(path)
            # Context level: also sees requests of workers and of pages the page opens.
            on_request = lambda request, v=visit: v.requests.append(request.url)  # noqa: E731
            context.on("request", on_request)
            page = context.new_page()
            page.on("console", lambda message, v=visit: v.console_errors.append(
                f"{message.text} ({message.location.get('url', '').rsplit('/', 1)[-1]})")
                if message.type == "error" else None)
            page.on("pageerror", lambda error, v=visit: v.page_errors.append(str(error)))
            response = page.goto(site.url(path), wait_until="load")
            visit.status = response.status if response else None
            if javascript:
                # Let late requests (the search worker, its index, …) happen before judging.
                page.wait_for_load_state("networkidle")
            page.close()
            context.remove_listener("request", on_request)
            visits.append(visit)
    finally:
        context.close()
    return visits


@pytest.fixture(scope="session")
def visits(browser: Any, site: Site) -> dict[bool, list[Visit]]:
    return {javascript: visit_all(browser, site, javascript) for javascript in (True, False)}



"""Serve a built site as a static host would: gzip for text, and the headers of site/_headers
(as Netlify and Cloudflare Pages read them: ``:name`` matches one path segment, a trailing
``*`` the rest; the headers of every matching rule add up).

    python bench/static_host.py [SITE_DIR] [--port 8000]

For measurements (bench/lighthouse.py), not for publishing: see docs/hosting.md.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import os
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map"}


def read_rules(path: Path) -> list[tuple[str, list[tuple[str, str]]]]:
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []
    for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else []:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            rules.append((line.strip(), []))
        elif rules and ":" in line:
            name, value = line.split(":", 1)
            rules[-1][1].append((name.strip(), value.strip()))
    return rules


def matches(rule: str, path: str) -> bool:
    if rule == path:
        return True
    if rule.endswith("/") != path.endswith("/") and not rule.endswith("*"):
        return False
    rules, parts = rule.strip("/").split("/"), path.strip("/").split("/")
    for index, part in enumerate(rules):
        if part == "*":
            return True
        if index >= len(parts) or not ((part.startswith(":") and parts[index]) or part == parts[index]):
            return False
    return len(rules) == len(parts)


def headers_for(rules: list[tuple[str, list[tuple[str, str]]]], path: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for rule, headers in rules:
        if matches(rule, path):
            for name, value in headers:
                found[name] = f"{found[name]}, {value}" if name in found else value
    return found


class Handler(SimpleHTTPRequestHandler):
    rules: ClassVar[list[tuple[str, list[tuple[str, str]]]]] = []

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_head(self) -> Any:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        file = Path(path)
        url_path = unquote(urlsplit(self.path).path)
        if not file.is_file():
            file, status = Path(self.directory) / "404.html", 404
        else:
            status = 200
        data = file.read_bytes()
        encoding = None
        if file.suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            data, encoding = gzip.compress(data, compresslevel=6, mtime=0), "gzip"
        self.send_response(status)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(data)))
        if encoding:
            self.send_header("Content-Encoding", encoding)
            self.send_header("Vary", "Accept-Encoding")
        for name, value in headers_for(self.rules, url_path).items():
            self.send_header(name, value)
        self.end_headers()
        self._body = data
        return None

    def do_GET(self) -> None:
        self._body = b""
        self.send_head()
        self.wfile.write(self._body)

    def do_HEAD(self) -> None:
        self.send_head()


def serve(site: Path, port: int = 0) -> ThreadingHTTPServer:
    handler = type("SiteHandler", (Handler,), {"rules": read_rules(site / "_headers")})
    return ThreadingHTTPServer(("127.0.0.1", port), functools.partial(handler, directory=str(site)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args()
    server = serve(args.site, args.port)
    print(f"serving {args.site} on http://127.0.0.1:{server.server_port}/ (gzip, _headers)", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

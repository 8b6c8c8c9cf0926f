"""First page view weight: HTML + the CSS and JS it links, gzip-compressed, per public page.

.venv/bin/python bench/page_weight.py http://127.0.0.1:8300 / /lending/catalogue/  # JSON
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import urllib.request

ASSET = re.compile(r'<(?:script[^>]+src|link[^>]+href)="([^"]+\.(?:js|css))"')


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


def main() -> None:
    host = sys.argv[1].rstrip("/")
    pages = sys.argv[2:] or ["/"]
    result: dict[str, dict[str, object]] = {}
    for page in pages:
        try:
            html = fetch(host + page)
        except OSError as error:
            result[page] = {"error": str(error)}
            continue
        assets = sorted(set(ASSET.findall(html.decode("utf-8", "replace"))))
        total = len(gzip.compress(html))
        for asset in assets:
            total += len(gzip.compress(fetch(host + asset if asset.startswith("/") else asset)))
        result[page] = {"assets": len(assets), "gzip_bytes": total}
    print(json.dumps(result))


if __name__ == "__main__":
    main()

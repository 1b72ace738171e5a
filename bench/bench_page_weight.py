"""Page weight of the citizen pages: HTML and the CSS/JS each page loads (raw and gzip), in bytes.

Runs against the configured database (use the demo: MOTCUA_VAR_DIR=... motcua seed_demo first):
    .venv/bin/python -m bench.bench_page_weight [--procedure 1.001193] [--code <dossier code>]
"""

from __future__ import annotations

import argparse
import gzip
import os
import re


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.settings")
    import django

    django.setup()
    from django.test import Client

    parser = argparse.ArgumentParser()
    parser.add_argument("--procedure", default="1.001193")
    parser.add_argument("--code", default="", help="dossier code for the tracking page (default: any)")
    args = parser.parse_args()
    code = args.code
    if not code:
        from motcua.dossiers.models import Dossier

        code = Dossier.objects.order_by("pk").values_list("code", flat=True).first() or "KHONG-CO"
    client = Client()
    pages = [
        ("home", "/"),
        ("procedure", f"/thu-tuc/{args.procedure}/"),
        ("tracking", f"/tra-cuu/{code}/"),
        ("kiosk", "/kiosk/"),
    ]
    cache: dict[str, tuple[int, int]] = {}

    def fetch(url: str) -> tuple[int, int, int, str]:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return response.status_code, len(body), len(gzip.compress(body, 6)), body.decode("utf-8", "replace")

    print(
        f"{'page':<10} {'status':>6} {'html':>8} {'html.gz':>8} {'assets':>8} {'assets.gz':>9} {'total.gz':>9}  url"
    )
    for name, url in pages:
        status, raw, gz, text = fetch(url)
        assets = re.findall(r'<(?:link[^>]+href|script[^>]+src)="(/static/[^"]+)"', text)
        a_raw = a_gz = 0
        for asset in assets:
            if asset not in cache:
                _s, r, g, _t = fetch(asset)
                cache[asset] = (r, g)
            a_raw += cache[asset][0]
            a_gz += cache[asset][1]
        print(f"{name:<10} {status:>6} {raw:>8} {gz:>8} {a_raw:>8} {a_gz:>9} {gz + a_gz:>9}  {url}")


if __name__ == "__main__":
    main()

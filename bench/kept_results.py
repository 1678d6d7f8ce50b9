"""A studio's members tab, its progress tab and the dashboard, one request at a time, with the results
of the rules kept under their facts' revisions (``core/cache.py``) and without (``MINGSHI_RESULT_CACHE=0``),
side by side in one run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/mingshi_b1000 \\
        python bench/kept_results.py [--tenant shenyang] [--repeat 20]

Signs in as the synthetic tenant administrator through the test client (no server, no network), warms
each page once, then prints the median wall time, CPU time and statements per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load import app_url, prepare

from mingshi.core import cache
from mingshi.core.demo import DEMO_PASSWORD
from mingshi.core.synth import SYNTH_TODAY
from mingshi.web import create_app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenant", default="shenyang")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    owner = os.environ["DATABASE_URL"]
    studio = prepare(owner, args.tenant)
    app = create_app(
        {
            "DATABASE_URL": app_url(owner),
            "SECRET_KEY": "bench",
            "MINGSHI_TODAY": SYNTH_TODAY,
            "WTF_CSRF_ENABLED": False,
        }
    )
    statements = [0]
    event.listen(
        app.extensions["mingshi"]["engine"],
        "before_cursor_execute",
        lambda *a: statements.__setitem__(0, statements[0] + 1),
    )
    client = app.test_client()
    client.post("/login", data={"username": f"{args.tenant}-admin", "password": DEMO_PASSWORD})
    pages = {
        "members tab": f"/{args.tenant}/studios/{studio}/members",
        "progress tab": f"/{args.tenant}/studios/{studio}/progress",
        "dashboard": f"/{args.tenant}/",
    }
    print("| page | kept results | median ms | CPU ms | statements |")
    print("| --- | --- | --- | --- | --- |")
    for name, path in pages.items():
        for size in (0, cache.DEFAULT_SIZE):
            cache.results.clear()
            cache.results.resize(size)
            assert client.get(path).status_code == 200, path
            walls, cpus = [], []
            for _ in range(args.repeat):
                statements[0] = 0
                wall, cpu = time.perf_counter(), time.process_time()
                client.get(path)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            kept = "off (`MINGSHI_RESULT_CACHE=0`)" if size == 0 else "on"
            print(
                f"| {name} | {kept} | {statistics.median(walls) * 1000:.1f} | "
                f"{statistics.median(cpus) * 1000:.1f} | {statements[0]} |"
            )


if __name__ == "__main__":
    main()

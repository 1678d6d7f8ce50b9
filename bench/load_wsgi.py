"""The application as gunicorn serves it for ``bench/load.py``, plus the floor: ``/_bench/floor``
does one trivial query (``SELECT 1``) through the same engine, in the same server and run."""

from __future__ import annotations

import datetime as dt
import logging
import os

from sqlalchemy import text

from mingshi.web import create_app

logging.getLogger("mingshi.request").setLevel(logging.WARNING)
app = create_app(
    {
        "DATABASE_URL": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
        "MINGSHI_TODAY": dt.date.fromisoformat(os.environ["BENCH_TODAY"]),
    }
)


@app.get("/_bench/floor")
def floor() -> str:
    with app.extensions["mingshi"]["engine"].connect() as conn:
        return str(conn.execute(text("SELECT 1")).scalar())

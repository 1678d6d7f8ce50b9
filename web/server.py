"""``mingshi serve``: gunicorn (production) or Werkzeug with Flask's reloader (``--dev``).

gunicorn runs in-process through its documented embedding API (``BaseApplication``): workers and
threads are the settings ``MINGSHI_WORKERS`` and ``MINGSHI_THREADS``; each worker builds its own
application (and its own database pool) after the fork. The master builds one first and throws it
away, so that a missing secret key or a privileged database role stops the command at once, with its
message, instead of every worker failing in turn.
"""

from __future__ import annotations

from typing import Any

from mingshi.core.config import Config


def _build(test_config: dict[str, Any] | None = None) -> Any:
    from mingshi.web import create_app

    return create_app(test_config)


def gunicorn_options(settings: Config, host: str, port: int) -> dict[str, Any]:
    return {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": settings.workers,
        "threads": settings.threads,
        "worker_class": "gthread",
        # one line per request comes from the application (mingshi.web.requestlog), not gunicorn
        "accesslog": None,
        "errorlog": "-",
        "loglevel": settings.log_level.lower(),
        "proc_name": "mingshi",
        # gunicorn's runtime control socket is one path per user: two deployments would share it
        "control_socket_disable": True,
        "timeout": 60,
        "graceful_timeout": 30,
    }


def serve_gunicorn(settings: Config, host: str, port: int) -> None:
    from gunicorn.app.base import BaseApplication

    app = _build()  # fail fast in the master (see the module's docstring)
    app.extensions["mingshi"]["engine"].dispose()
    options = gunicorn_options(settings, host, port)

    class Server(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return _build()

    Server().run()


def serve_werkzeug(host: str, port: int, *, reloader: bool, demo: bool) -> None:
    # Werkzeug's server directly: Flask's app.run() refuses to run under its own CLI group.
    from werkzeug.serving import run_simple

    app = _build({"MINGSHI_DEMO": True} if demo else None)
    run_simple(host, port, app, threaded=True, use_reloader=reloader, use_debugger=False)

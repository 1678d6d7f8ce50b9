"""The application served over HTTP on 127.0.0.1 for tests that drive it from outside (a browser,
parallel clients).

Werkzeug's threaded server answers each request in a daemon thread and ``shutdown()`` stops only
the accepting loop: a request still running (a favicon asked for as the test ends) would go on
holding its transaction while the next fixture empties the tables, and on PostgreSQL that TRUNCATE
then deadlocks with it. :func:`serve` therefore counts the requests in flight and, on the way out,
waits for the last one to finish before the database is touched again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server


class InFlight:
    """A WSGI wrapper that knows how many requests the application is still answering."""

    def __init__(self, app) -> None:
        self.app = app
        self.count = 0
        self._changed = threading.Condition()

    def __call__(self, environ, start_response):
        # Flask ends the request (removes its database session, in teardown_appcontext) before it
        # returns the response; what is left to send is bytes. Counting the call is therefore
        # enough, and it does not depend on the server closing the body (Werkzeug skips close()
        # when the client has gone).
        with self._changed:
            self.count += 1
        try:
            return self.app(environ, start_response)
        finally:
            self._done()

    def _done(self) -> None:
        with self._changed:
            self.count -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> None:
        with self._changed:
            if not self._changed.wait_for(lambda: self.count == 0, timeout=timeout):
                raise RuntimeError(f"{self.count} request(s) still running {timeout:.0f} s after the server stopped")


@contextmanager
def serve(app, *, drain_seconds: float = 30) -> Iterator[str]:
    """Serve ``app`` on a free port; yield its base URL; stop, then wait for requests in flight."""
    counted = InFlight(app)
    server = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        counted.wait_idle(drain_seconds)

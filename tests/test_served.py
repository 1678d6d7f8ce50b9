"""The test server waits for the requests it is answering before a test's database is emptied."""

from __future__ import annotations

import threading
import urllib.request

from tests.served import serve


def test_leaving_the_server_waits_for_the_request_in_flight():
    started, release, finished = threading.Event(), threading.Event(), []

    def slow(environ, start_response):
        started.set()
        release.wait(timeout=10)
        finished.append(True)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"done"]

    left = threading.Event()

    def use_server():
        with serve(slow) as url:
            threading.Thread(target=lambda: urllib.request.urlopen(url, timeout=10).read(), daemon=True).start()
            assert started.wait(timeout=10)
        left.set()

    user = threading.Thread(target=use_server)
    user.start()
    assert not left.wait(timeout=0.5), "the server let go while a request was still being answered"
    release.set()
    user.join(timeout=10)
    assert left.is_set() and finished == [True]

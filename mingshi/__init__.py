"""mingshi — master-teacher studios (名师工作室) for city education bureaus.

The installed distribution owns only import names that begin with ``mingshi``:

* :mod:`mingshi.core` — the generic model, services and the pluggy contract (folder ``core/``);
* :mod:`mingshi.web` — the Flask application (folder ``web/``);
* :mod:`mingshi.jurisdiction` — the one module a jurisdiction plugin imports from;
* :mod:`mingshi.testing` — the contract suite, a pytest plugin for jurisdiction packages.

Each city is its own distribution (``mingshi-<city>``, import name ``mingshi_<city>``).
"""

from __future__ import annotations

import importlib.metadata

try:
    __version__ = importlib.metadata.version("mingshi")
except importlib.metadata.PackageNotFoundError:  # running from a tree that was never installed
    __version__ = "0+unknown"

"""The jurisdictions shipped with mingshi, one package each.

Each is registered in ``pyproject.toml`` under the entry-point group ``mingshi.jurisdictions``
exactly as a third-party plugin would be; the core never imports them by name.
"""

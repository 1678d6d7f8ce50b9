"""The Flask application (created by :func:`create_app`)."""

from mingshi.web.app import create_app

__all__ = ["create_app"]

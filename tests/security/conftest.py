"""The web fixtures (an application over the demo data) for the security tests."""

from tests.web.conftest import app, demo_template, demo_url, jurisdictions, rendered, visitor  # noqa: F401

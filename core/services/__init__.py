"""Business operations. They take a tenant-bound session, check permissions, write and audit;
they never import ``flask.request``."""

"""Fixtures of the FIT-Connect development side (server and subscriber processes)."""
from tests.fitconnect_dev.fixtures import fitconnect_server, fitconnect_subscriber  # noqa: F401

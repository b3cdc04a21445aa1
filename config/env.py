"""Reads configuration from the environment (django-environ).

Every value has a default that makes `make run` work on a fresh Debian machine; production
sets the variables (see README, "Configuration"). A `.env` file in the project root is read
when present.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

__all__ = ["BASE_DIR", "env"]

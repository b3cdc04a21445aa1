"""Fixtures of the reporter tests: the citizen accounts of the account tests."""
from tests.accounts.conftest import erika, otto  # noqa: F401 (citizen accounts of test_account.py)

"""The citizen account's entry in the header navigation: "Mein Konto", after the services'
entries. Anonymous visitors following it are sent to the login (`/konto/` requires one)."""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from portal import hooks
from portal.catalogue import NavigationItem


@hooks.register("register_navigation_item")
def account_navigation_item():
    return NavigationItem(label=_("Mein Konto"), url_name="accounts:account", order=100, section=("accounts",))


@hooks.register("register_periodic_tasks")
def accounts_periodic_tasks() -> dict:
    """Expired e-mail login tokens pruned hourly."""
    return {"accounts-email-login-tokens-prune": {"task": "accounts.tasks.email_login_tokens_prune_task",
                                                  "schedule": timedelta(hours=1)}}

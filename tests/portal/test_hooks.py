"""The hook registry: decorator and call forms, order, lazy discovery of `portal_hooks`
modules, and `register_temporarily` leaving nothing behind; the order of trust levels."""
import sys

import pytest

from portal import hooks


def first():
    return "first"


def second():
    return "second"


def test_register_as_decorator_and_as_call_returns_the_function_and_sorts_by_order():
    name = "test_hook_order"
    try:
        assert hooks.register(name, first, order=5) is first

        @hooks.register(name, order=-1)
        def early():
            return "early"

        assert early() == "early"
        hooks.register(name, second, order=5)
        assert hooks.get_hooks(name) == [early, first, second]
    finally:
        hooks._registry.pop(name, None)


def test_unknown_hook_name_has_no_functions():
    assert hooks.get_hooks("test_nobody_registers_this") == []


def test_hook_modules_of_installed_apps_are_discovered_on_first_use(monkeypatch):
    monkeypatch.setattr(hooks, "_registry", {})
    monkeypatch.setattr(hooks, "_discovered", False)
    for module in ("portal.portal_hooks", "reporter.portal_hooks", "opendata.portal_hooks", "accounts.portal_hooks",
                   "cases.portal_hooks"):
        monkeypatch.delitem(sys.modules, module, raising=False)  # imported afresh by the discovery
    assert hooks._registry == {}
    services = [fn() for fn in hooks.get_hooks("register_service")]
    assert [s.slug for s in services] == ["maengelmelder"]
    labels = [str(fn().label) for fn in hooks.get_hooks("register_navigation_item")]
    assert sorted(labels) == sorted(["Leistungen", "Karte", "Melden", "Meine Meldungen", "Statistik",
                                     "Offene Daten", "Mein Konto"])


def test_register_temporarily_removes_the_function_on_exit_even_after_an_error():
    before = hooks.get_hooks("register_service")
    with pytest.raises(RuntimeError):
        with hooks.register_temporarily("register_service", first) as fn:
            assert fn is first
            assert hooks.get_hooks("register_service") == [*before, first]
            raise RuntimeError("boom")
    assert hooks.get_hooks("register_service") == before


def test_trust_levels_are_ordered():
    from portal.catalogue import TrustLevel

    assert [level.rank for level in TrustLevel] == [0, 1, 2, 3]
    assert TrustLevel.HOCH.satisfies(TrustLevel.SUBSTANZIELL)
    assert TrustLevel.SUBSTANZIELL.satisfies("substanziell")
    assert not TrustLevel.BASISREGISTRIERUNG.satisfies(TrustLevel.SUBSTANZIELL)
    assert TrustLevel.NONE.satisfies(TrustLevel.NONE)

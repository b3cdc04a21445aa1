"""`portal.inbox`: the registry of inbox sources (one per kind, unregistered after the block),
the column contract of `inbox_values`, and the sort keys the inbox offers."""
import pytest
from django.db.models import Value

from backoffice.forms import INBOX_SORT_CHOICES
from portal import hooks, inbox
from routing_rules.models import Department

from .conftest import WohngeldInboxSource


def test_a_source_is_registered_only_inside_the_block_and_one_per_kind():
    assert inbox.inbox_source_get("wohngeld") is None
    with hooks.register_temporarily(inbox.HOOK, WohngeldInboxSource), \
            hooks.register_temporarily(inbox.HOOK, lambda: "not a source"), \
            hooks.register_temporarily(inbox.HOOK, WohngeldInboxSource):
        assert [s.kind for s in inbox.inbox_sources()].count("wohngeld") == 1
        assert "wohngeld-test" in inbox.inbox_services()
        assert inbox.inbox_item_parse("wohngeld:12") == ("wohngeld", 12)
    assert inbox.inbox_source_get("wohngeld") is None
    assert inbox.inbox_item_parse("wohngeld:12") is None


@pytest.mark.parametrize("value", ["", "meldung", "meldung:", "meldung:x", "meldung:-1", "meldung:1" + "0" * 20])
def test_odd_selection_values_are_none(value):
    assert inbox.inbox_item_parse(value) is None


def test_inbox_values_needs_every_column():
    with pytest.raises(TypeError, match=r"missing columns \['due_date', 'is_new'"):
        inbox.inbox_values(Department.objects.all(), kind=Value("x"), id="pk", reference="slug", title="name",
                           service=Value("x"), status=Value("x"), department_id="pk", department="name",
                           created_at=Value(None), is_open=Value(True))


def test_inbox_count_values_needs_its_columns_and_reads_only_them():
    with pytest.raises(TypeError, match=r"inbox_count_values: missing columns \['due_date', 'is_new'\]"):
        inbox.inbox_count_values(Department.objects.all(), id="pk", is_open=Value(True))
    rows = inbox.inbox_count_values(Department.objects.all(), id="pk", due_date=Value(None), is_open=Value(True),
                                    is_new=Value(False))
    assert list(rows.query.values_select) + list(rows.query.annotation_select) == list(inbox.COUNT_COLUMNS)


def test_the_inbox_offers_every_sort_key_and_defaults_by_tab():
    assert {key for key, _label in INBOX_SORT_CHOICES} == set(inbox.SORTS)
    assert (inbox.default_sort("ueberfaellig"), inbox.default_sort("offen")) == ("faellig", "-eingang")

"""Report writes of the tiles' bookkeeping never make two transactions wait for each other
(migration 0006): the pattern that deadlocked with a shared version row now just queues."""
import threading

import pytest
from django.db import connection, connections, transaction

from tests.factories import ReportFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_writers_in_id_order_do_not_deadlock():
    """A changes r1 then r2; B changes r2 then r3 (both in id order, so the report rows alone
    cannot deadlock). With a version row bumped after each statement, A held the row while B
    held r2 and waited for it, and A then waited for r2: a deadlock."""
    r1, r2, r3 = (ReportFactory() for _ in range(3))
    a_first_done, b_first_done = threading.Event(), threading.Event()
    errors = []

    def writer(first, second, mine: threading.Event, other: threading.Event):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '20s'")
                    cursor.execute("UPDATE reporter_report SET status = 'in_progress' WHERE id = %s", [first.pk])
                    mine.set()
                    other.wait(10)
                    cursor.execute("UPDATE reporter_report SET status = 'in_progress' WHERE id = %s", [second.pk])
        except Exception as exc:  # noqa: BLE001 (the test reports any database error)
            errors.append(repr(exc))
        finally:
            connections.close_all()

    a = threading.Thread(target=writer, args=(r1, r2, a_first_done, b_first_done))
    b = threading.Thread(target=writer, args=(r2, r3, b_first_done, a_first_done))
    a.start(), b.start()
    # B's second statement does not wait for A; B commits, then A's second statement proceeds.
    a.join(60), b.join(60)
    assert errors == []
    statuses = set(type(r1).objects.filter(pk__in=[r1.pk, r2.pk, r3.pk]).values_list("status", flat=True))
    assert statuses == {"in_progress"}

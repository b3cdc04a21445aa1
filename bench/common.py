"""Small helpers shared by the benchmarks: timing and a clean slate."""
import time

from django.db import connection


def clear_tables() -> None:
    """Empty the project tables of the bench database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE reporter_report, reporter_statuschange, reporter_reportphoto, reporter_support, "
            "routing_rules_routingrule, routing_rules_category, routing_rules_department, "
            "geodata_jurisdictionarea, geodata_jurisdictionlayer, notifications_notification CASCADE"
        )


def best_of(fn, *, repeat: int = 3) -> float:
    """The best wall-clock time of `repeat` runs of fn(), in seconds (least disturbed by noise)."""
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best

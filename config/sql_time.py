"""Timestamps written by PostgreSQL exactly as DRF writes them, for JSON built in SQL.

DRF's DateTimeField gives `datetime.isoformat()` of the time in the current time zone,
microseconds only when not zero, "Z" instead of "+00:00". The public report list
(`reporter.selectors`) and the crew app's tasks (`mobile_api.task_json`) build their JSON in
PostgreSQL and must write the same text as the detail views.

`to_char(ts, '…TZH:TZM')` writes a timestamptz in the *session* time zone, one function
call per value; writing it for a zone given as an argument (`ts AT TIME ZONE zone` and the
offset computed from a second conversion, as the former SQL function `mobile_api_iso8601`
did) cost three times as much: 1.6 ms of a 6.5 ms request for 500 reports
(bench/bench_list.py). So the statement runs with the session time zone set to the current
one and Django's own reads keep their UTC session.

`local_time_rows` sends the three statements (set the zone, the query, set it back) in one
message, the parameters bound on the client (Django's default psycopg cursor): one round
trip instead of five (BEGIN, set, query, reset, COMMIT). The
statements of one message run as one transaction in autocommit mode, so a failing query
takes the setting with it; inside the caller's transaction a failure aborts that transaction
and its rollback restores the setting. With server-side binding (`OPTIONS
server_side_binding`), one message cannot hold three statements; `local_time_cursor` then
wraps the statement in a transaction of its own.

Both run on the connection `using` names (the primary by default); a selector passes the alias
of `config.db_router.read_connection`, so the statement may run on the read replica. The
time zone is set on that same connection, inside the same message or transaction.
"""
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

__all__ = ["rfc3339", "local_time_cursor", "local_time_rows"]


def rfc3339(column: str) -> str:
    """The SQL expression writing the timestamptz `column` as DRF does, in the session time
    zone (use it in `local_time_rows` or inside `local_time_cursor`). `column` is SQL written by
    the caller, never input."""
    return (f"replace(replace(to_char({column}, 'YYYY-MM-DD\"T\"HH24:MI:SS.USTZH:TZM'), "
            f"'.000000', ''), '+00:00', 'Z')")


@contextmanager
def local_time_cursor(*, using: str = DEFAULT_DB_ALIAS) -> Iterator:
    """A cursor on the connection `using` whose statements see the current Django time zone as
    the session time zone.

    Runs inside the caller's transaction (or one of its own); no savepoint: an error inside
    marks the transaction for rollback, which also restores the setting.
    """
    connection = connections[using]
    with transaction.atomic(using=using, savepoint=False), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [timezone.get_current_timezone_name()])
        yield cursor
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [connection.timezone_name])


def local_time_rows(sql: str, params: list | tuple | dict, *, using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """The rows of `sql` run on the connection `using` with the current Django time zone as the
    session time zone; one round trip where the cursor binds on the client. `params` are
    positional (`%s`) or named (`%(name)s`, a dict) as in `sql`."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if not isinstance(cursor.cursor, psycopg.ClientCursor):
            with local_time_cursor(using=using) as local:
                local.execute(sql, params)
                return local.fetchall()
        zone, session = timezone.get_current_timezone_name(), connection.timezone_name
        if isinstance(params, dict):
            sql = (f"SELECT set_config('TimeZone', %(sql_time_zone)s, false);\n{sql}\n;\n"
                   f"SELECT set_config('TimeZone', %(sql_time_session)s, false)")
            params = {**params, "sql_time_zone": zone, "sql_time_session": session}
        else:
            sql = f"SELECT set_config('TimeZone', %s, false);\n{sql}\n;\nSELECT set_config('TimeZone', %s, false)"
            params = [zone, *params, session]
        cursor.execute(sql, params)
        cursor.nextset()
        rows = cursor.fetchall()
        cursor.nextset()
        return rows

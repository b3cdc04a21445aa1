"""Runs every benchmark against a throw-away database `<db>_bench` (created and migrated here).

Usage: .venv/bin/python bench/run.py [routing|list|export|dcat|tasks|ogc|inbox|verify|tiles ...]
"""
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("TEST_DATABASE_NAME", "stadtmelder_bench")


def main(argv: list[str]) -> None:
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench import (
        bench_dcat,
        bench_export,
        bench_inbox,
        bench_list,
        bench_ogc,
        bench_routing,
        bench_tasks,
        bench_tiles,
        bench_verify,
    )

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0, keepdb=True, serialize=False)
    wanted = set(argv) or {"routing", "list", "export", "dcat", "tasks", "ogc", "inbox", "verify", "tiles"}
    if "routing" in wanted:
        bench_routing.run()
    if "list" in wanted:
        bench_list.run()
    if "export" in wanted:
        bench_export.run()
    if "dcat" in wanted:
        bench_dcat.run()
    if "tasks" in wanted:
        bench_tasks.run()
    if "ogc" in wanted:
        bench_ogc.run()
    if "inbox" in wanted:
        bench_inbox.run()
    if "verify" in wanted:
        bench_verify.run()
    if "tiles" in wanted:
        bench_tiles.run()


if __name__ == "__main__":
    main(sys.argv[1:])

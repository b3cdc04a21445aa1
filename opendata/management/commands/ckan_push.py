"""`manage.py ckan_push [--all | --dataset NAME] [--dry-run]` — push datasets to the
upstream CKAN now, synchronously (opendata.upstream), and print a summary.

- `--all`: every public active dataset (of the configured organisations), and the
  datasets pushed before that are private or deleted now (deleted upstream);
- `--dataset NAME`: that dataset only;
- without either: list the failed pushes that no later push has fixed;
- `--dry-run`: ask the upstream what each push would do, change nothing, record nothing.

Each push is recorded (`UpstreamPush`, one attempt, no retries). The exit code is 1 when
a push failed (or, without options, when failed pushes are listed).
"""
from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from opendata.models import UpstreamPush
from opendata.upstream import (
    PERMANENT_ERRORS,
    TRANSIENT_ERRORS,
    upstream_client,
    upstream_config,
    upstream_push_attempt,
    upstream_push_create,
    upstream_push_needed,
    upstream_push_plan,
    upstream_pushes_failed,
    upstream_targets,
)

SUMMARY_KEYS = ["created", "updated", "deleted", "skipped", "failed"]
_PAST = {UpstreamPush.Action.CREATE: "created", UpstreamPush.Action.UPDATE: "updated",
         UpstreamPush.Action.DELETE: "deleted", UpstreamPush.Action.SKIP: "skipped"}


class Command(BaseCommand):
    help = "Push datasets to the upstream CKAN (OPENDATA['UPSTREAM_URL']) and print a summary."

    def add_arguments(self, parser):
        target = parser.add_mutually_exclusive_group()
        target.add_argument("--all", action="store_true", help="push every dataset that concerns the upstream")
        target.add_argument("--dataset", metavar="NAME", help="push this dataset (our name, without prefix)")
        parser.add_argument("--dry-run", action="store_true", help="only show what would be done")

    def handle(self, *args, all=False, dataset=None, dry_run=False, **options):
        if not all and dataset is None:
            return self._list_failed()
        config = upstream_config()
        if not config.enabled:
            raise CommandError("No upstream CKAN configured: set CKAN_UPSTREAM_URL (OPENDATA['UPSTREAM_URL']).")
        targets = upstream_targets(config=config, name=dataset)
        if dataset is not None and not targets:
            raise CommandError(f"Dataset {dataset!r} does not exist.")
        counts, failures = Counter(), []
        client = upstream_client(config)
        try:
            for target in targets:
                if not upstream_push_needed(dataset=target, config=config):
                    self.stdout.write(f"{config.upstream_name(target.name)}: skipped (never public, not pushed)")
                    counts["skipped"] += 1
                    continue
                if dry_run:
                    self._plan(target, config, client, counts, failures)
                    continue
                push = upstream_push_attempt(push_id=upstream_push_create(dataset=target, config=config).pk,
                                             final=True, client=client)
                if push.status == UpstreamPush.Status.OK:
                    counts[_PAST[push.action]] += 1
                    self.stdout.write(f"{push.upstream_name}: {_PAST[push.action]}")
                else:
                    counts["failed"] += 1
                    failures.append(f"{push.upstream_name} ({push.action}): {push.error}")
        finally:
            client.close()
        prefix = "dry run, would be " if dry_run else ""
        self.stdout.write(prefix + ", ".join(f"{key}: {counts[key]}" for key in SUMMARY_KEYS))
        for line in failures:
            self.stdout.write(f"failed: {line}")
        if failures:
            raise CommandError(f"{len(failures)} of {len(targets)} pushes failed.")

    def _plan(self, target, config, client, counts, failures):
        name = config.upstream_name(target.name)
        try:
            action = upstream_push_plan(dataset=target, client=client)
        except (*PERMANENT_ERRORS, *TRANSIENT_ERRORS) as exc:
            counts["failed"] += 1
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
            return
        counts[_PAST[action]] += 1
        self.stdout.write(f"{name}: would be {_PAST[action]}")

    def _list_failed(self):
        failed = upstream_pushes_failed()
        if not failed:
            self.stdout.write("No failed pushes.")
            return
        for push in failed:
            when = push.finished_at.isoformat(timespec="seconds") if push.finished_at else "-"
            self.stdout.write(f"{push.upstream_name} ({push.action}, {push.attempts} attempts, {when}): {push.error}")
        raise CommandError(f"{len(failed)} failed pushes; retry with --dataset NAME or --all.")

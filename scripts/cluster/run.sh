#!/usr/bin/env bash
# `make test-cluster`: the several-node run with faults (tests/cluster/test_cluster.py). Every
# service it needs (gunicorn ×2, HAProxy, Celery workers and beats, PgBouncer, a streaming
# replica, Redis with Sentinel, SeaweedFS S3) is started by the test on free ports and stopped
# at its end. Prints the figures (also in var/cluster-figures.txt) and fails when an
# assertion failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
mkdir -p var
rm -f var/cluster-figures.txt
export CLUSTER_FIGURES=var/cluster-figures.txt
.venv/bin/pytest -q -m cluster tests/cluster -p no:cacheprovider "$@"
rc=$?
[ -f var/cluster-figures.txt ] && cat var/cluster-figures.txt
exit $rc

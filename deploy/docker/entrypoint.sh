#!/bin/sh
# Container entrypoint of the app image: a fresh directory for the Prometheus metrics of this
# container's processes (prometheus-client multiprocess mode, health.metrics), then the command.
set -eu
if [ -n "${PROMETHEUS_MULTIPROC_DIR:-}" ]; then
  rm -rf "$PROMETHEUS_MULTIPROC_DIR"
  mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
fi
exec "$@"

"""Operations: liveness and readiness probes, Prometheus metrics and structured request logs.

- `probes`: the readiness checks (database, broker, cache, storage) as a small registry that
  other code joins (`probes.register("storage.s3")`), run in parallel with a timeout each.
- `metrics`: Prometheus metrics (prometheus-client, multiprocess-safe for gunicorn and Celery's
  prefork pool): requests by view/method/status, their duration and database queries, Celery
  queue lengths read from Redis at scrape time, task outcomes from Celery's signals.
- `request_log`: one log line per request with a request id (`X-Request-ID`), method, path
  without query string, status and duration; JSON lines with `LOG_FORMAT=json`.
- `middleware`: `ProbeMiddleware` answers `/healthz`, `/readyz` and `/metrics` before any other
  middleware (no host check, no https redirect, no session, no transaction, no rate limit).
"""

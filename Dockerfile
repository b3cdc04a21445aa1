# syntax=docker/dockerfile:1
# Production images of Stadtmelder, built from one Dockerfile (targets):
#   app   (default, last stage) Django + GeoDjango under gunicorn; also the Celery worker, beat
#         and the migration job with another command. Non-root, no test or development tools
#         (requirements-prod.lock), messages compiled, static files collected.
#   proxy nginx in front of `app`: serves /static/ (baked in from the same build) and the public
#         /media/ volume, passes the rest on. Non-root.
# Base images are pinned by digest. The digests of python, node and nginx are the ones
# docker-library/repo-info records for the tags (repos/<image>/remote/<tag>.md); refresh them
# together with the tag.

# python:3.11-slim-bookworm (Python 3.11.16), repo-info commit 33a22f41
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:0bee7276f83efd4a1ee05bbbf4281d95ed28e079220a9457f25a93e3f1e3c31b
# node:20-bookworm-slim, repo-info repos/node/remote/20-bookworm-slim.md
ARG NODE_IMAGE=node:20-bookworm-slim@sha256:580bf06e6702f536cc9fc4c9e7c8a58154e192c0f8d5913adef53fe8b8ece902
# nginx:1.30-alpine (nginx 1.30.4), repo-info commit 08441358
ARG NGINX_IMAGE=nginx:1.30-alpine@sha256:02b1b2a0445514891a14aa371845f6085d5d9d10d385b30d6aad606a50a29a05

# --- front-end packages from npm (MapLibre GL JS …), served by us: no CDN ---------------------------
FROM ${NODE_IMAGE} AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
# The basemap's label glyphs (fontnik from npm, DejaVu from Debian: free to redistribute), built
# into the folders `basemap` serves (BASEMAP["GLYPHS_DIR"] = var/glyphs/<font stack>/).
COPY scripts/build_glyphs.js scripts/
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/* \
 && node scripts/build_glyphs.js /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf "glyphs/DejaVu Sans Book" \
 && node scripts/build_glyphs.js /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf "glyphs/DejaVu Sans Bold"

# --- run-time libraries shared by build and app: GDAL/GEOS/PROJ for GeoDjango, ogr2ogr for exports
FROM ${PYTHON_IMAGE} AS base
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin libgdal32 libgeos-c1v5 libproj25 \
 && rm -rf /var/lib/apt/lists/*

# --- build: virtualenv, compiled messages, collected static files ---------------------------
FROM base AS build
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
COPY requirements-prod.lock /tmp/
RUN python -m venv /venv && pip install --no-cache-dir -r /tmp/requirements-prod.lock
WORKDIR /app
COPY . .
COPY --from=assets /build/node_modules ./node_modules
COPY --from=assets /build/glyphs ./var/glyphs
# Settings need no database for these; the key only exists for the build.
RUN SECRET_KEY=build-only STATIC_ROOT=/app/static python manage.py collectstatic --noinput -v 0 \
 && SECRET_KEY=build-only python manage.py compilemessages --ignore=node_modules -v 0 \
 && rm -rf node_modules

# --- proxy: nginx with the static files of this very build -----------------------------------
FROM ${NGINX_IMAGE} AS proxy
COPY deploy/docker/nginx.conf /etc/nginx/nginx.conf
COPY --from=build /app/static /srv/static
# The image's own user (uid 101); the config writes only below /tmp (a tmpfs in compose).
USER 101
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:8080/_proxy/health || exit 1

# --- app ---------------------------------------------------------------------------------
FROM base AS app
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin stadtmelder \
 && mkdir -p /data/media /data/private && chown -R stadtmelder /data
# Files on the local disk unless STORAGE_BACKEND=s3; the root file system may be read-only:
# only /data (volumes) and /tmp (tmpfs: uploads in progress, metrics of the processes) are written.
ENV STATIC_ROOT=/app/static MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus LOG_FORMAT=json
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=8)"]
ENTRYPOINT ["/app/deploy/docker/entrypoint.sh"]
# No gunicorn access log: it would write query strings (personal data); the app logs each
# request without them (health.request_log). WEB_CONCURRENCY sets the number of workers.
ENV WEB_CONCURRENCY=4
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/tmp", \
     "--no-control-socket", "--timeout", "60", "--graceful-timeout", "30"]

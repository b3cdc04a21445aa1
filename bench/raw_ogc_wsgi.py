"""The baseline of bench/bench_ogc.py: the reports items page written by hand as a bare WSGI
application (no framework, no middleware), served by the same gunicorn as ours.

Why a WSGI application and not the statement timed from Python: the ratio should say what
Django, the parameter checks, the links and the middleware cost, not what HTTP, gunicorn and
the clients cost; both sides pay those here alike. The page is the one our endpoint returns
for the same request: the count of the matches, the page of 100 in id order, each feature
rendered by PostgreSQL (`json_build_object`, `ST_AsGeoJSON` with 6 decimals) from the public
view with the same properties, glued into a FeatureCollection with numberMatched,
numberReturned, timeStamp and self/next links. One statement, one scan of the matches (the
shape a careful hand-written service would use).

Two requests are understood, nothing is validated (it is a baseline, not a service):

- `?bbox=minLon,minLat,maxLon,maxLat&limit=&offset=`: the points inside the closed rectangle;
- `?status=&since=&limit=&offset=`: the equivalent of CQL2 `status = … AND created_at >= …`.

Each worker process keeps one psycopg connection (autocommit), from `RAW_OGC_DSN`.
"""
import json
import os
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlencode

import psycopg

_FEATURE = """json_build_object('type', 'Feature', 'id', t.id,
    'geometry', ST_AsGeoJSON(t.location, 6)::json,
    'properties', json_build_object(
        'id', t.id, 'category', c.slug, 'category_name', c.name, 'status', t.status,
        'description', t.description, 'department', d.name, 'supporter_count', t.supporter_count,
        'created_at', to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'updated_at', to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
        'closed_at', to_char(t.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')))::text"""

_PAGE = """
WITH matched AS MATERIALIZED (SELECT t.id FROM reporter_public_report t WHERE {where}),
     page AS MATERIALIZED (SELECT id FROM matched ORDER BY id LIMIT %(limit)s OFFSET %(offset)s)
SELECT (SELECT count(*) FROM matched),
       (SELECT coalesce(string_agg(""" + _FEATURE + """, ',' ORDER BY t.id), '')
        FROM page p JOIN reporter_public_report t ON t.id = p.id
        JOIN routing_rules_category c ON c.id = t.category_id
        JOIN routing_rules_department d ON d.id = t.department_id),
       (SELECT count(*) FROM page)"""

_BBOX = _PAGE.format(where="t.location && ST_MakeEnvelope(%(x0)s, %(y0)s, %(x1)s, %(y1)s, 4326) "
                           "AND ST_X(t.location) BETWEEN %(x0)s AND %(x1)s "
                           "AND ST_Y(t.location) BETWEEN %(y0)s AND %(y1)s")
_FILTER = _PAGE.format(where="t.status = %(status)s AND t.created_at >= %(since)s")

_connection = None


def _cursor():
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg.connect(os.environ["RAW_OGC_DSN"], autocommit=True)
    return _connection.cursor()


def application(environ, start_response):
    query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
    params = {"limit": int(query.get("limit", 10)), "offset": int(query.get("offset", 0))}
    if "bbox" in query:
        params.update(zip(("x0", "y0", "x1", "y1"), map(float, query["bbox"].split(",")), strict=True))
        sql = _BBOX
    else:
        params.update(status=query["status"], since=query["since"])
        sql = _FILTER
    with _cursor() as cursor:
        cursor.execute(sql, params)
        matched, features, returned = cursor.fetchone()
    base = f"http://{environ['HTTP_HOST']}{environ['PATH_INFO']}"
    links = [{"rel": "self", "type": "application/geo+json", "href": f"{base}?{urlencode(query)}"}]
    if params["offset"] + returned < matched:
        links.append({"rel": "next", "type": "application/geo+json",
                      "href": f"{base}?{urlencode({**query, 'offset': params['offset'] + params['limit']})}"})
    head = json.dumps({"type": "FeatureCollection", "numberMatched": matched, "numberReturned": returned,
                       "timeStamp": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
                       "links": links}, ensure_ascii=False)
    body = f'{head[:-1]}, "features": [{features}]}}'.encode()
    start_response("200 OK", [("Content-Type", "application/geo+json"), ("Content-Length", str(len(body)))])
    return [body]

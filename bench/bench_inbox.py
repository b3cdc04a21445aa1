"""The back-office inbox over 100,000 items (50,000 reports and 50,000 cases in 10
departments) vs the raw SQL doing the same work.

Ours: GET /sachbearbeitung/ as a clerk of one department, through Django's full request
stack (test client, session and login, middleware, the filter form, the tab counts, the
UNION ALL page, the template). The baseline: the bare SQL of what the page shows — the
UNION ALL of the department's newest open reports and cases (25 rows) and the four tab
counts per source — with the department ids known in advance. Target: within 2x.
"""
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils.translation import gettext_lazy as _

from cases.types import CaseType
from portal import hooks
from routing_rules.models import Department

from .common import best_of, clear_tables

DEPARTMENTS = 10
REPORTS = 50_000
CASES = 50_000
REQUESTS = 50
BENCH_TYPE = CaseType(
    slug="bench-anliegen", reference_prefix="BA",
    statuses=[("new", _("Eingegangen")), ("in_progress", _("In Bearbeitung")), ("done", _("Erledigt"))],
    closed_statuses={"done"}, transitions={"new": ("in_progress",), "in_progress": ("done",)},
    initial_status="new", sla_days=10,
)

# Reports: 1/4 submitted, 1/4 open, 1/4 in progress, 1/4 resolved; one day apart per 100;
# a due date five days after filing. Cases: the same spread over new / in_progress / done.
_LOAD_SQL = """
INSERT INTO reporter_report (tracking_token, location, address, location_text, description, public_description,
  answers, status, moderation, routing_explanation, channel, reporter_name, reporter_email, reporter_phone,
  supporter_count, created_at, updated_at, category_id, department_id, language, due_date, version)
SELECT 'bench-' || i, ST_SetSRID(ST_MakePoint(12.0 + (i %% 1000) / 10000.0, 50.85 + (i / 1000) / 10000.0), 4326),
  'Straße ' || (i %% 300), '', 'Loch Nummer ' || i, '', '{}',
  (ARRAY['submitted','open','in_progress','resolved'])[i %% 4 + 1], 'approved', '{}', 'web', 'Person ' || i, '', '',
  0, now() - (i / 100) * interval '1 day' - i * interval '1 second',
  now(), (%(categories)s::bigint[])[i %% %(n)s + 1], (%(departments)s::bigint[])[i %% %(n)s + 1], 'de',
  (now() - (i / 100) * interval '1 day')::date + 5, 1
FROM generate_series(1, %(reports)s) AS i;

INSERT INTO cases_case (service, reference, tracking_token, status, title, description, data, form_version,
  contact_name, contact_email, contact_phone, channel, language, due_date, created_at, updated_at, version,
  department_id, closed_at)
SELECT 'bench-anliegen', 'BA-2026-' || lpad(i::text, 6, '0'), 'bench-' || i,
  (ARRAY['new','in_progress','in_progress','done'])[i %% 4 + 1], 'Anliegen ' || i, 'Text ' || i, '{}', '',
  'Bürgerin ' || i, '', '', 'web', 'de', (now() - (i / 100) * interval '1 day')::date + 10,
  now() - (i / 100) * interval '1 day' - i * interval '1 second' + interval '500 milliseconds', now(), 1,
  (%(departments)s::bigint[])[i %% %(n)s + 1], CASE WHEN i %% 4 = 3 THEN now() END
FROM generate_series(1, %(cases)s) AS i;

INSERT INTO cases_casedepartment (case_id, department_id, role, state, note, created_at)
SELECT id, department_id, 'lead', 'open', '', created_at FROM cases_case;
"""

# What the page shows, in bare SQL: the newest 25 open items of the clerk's departments
# and the tab counts of both sources.
_RAW_SQL = """
SELECT * FROM (
  (SELECT 'meldung' AS kind, r.id, '#' || r.id AS reference, c.name || ', ' || r.address AS title, r.status,
          d.name AS department, r.created_at, r.due_date
   FROM reporter_report r JOIN routing_rules_category c ON c.id = r.category_id
   JOIN routing_rules_department d ON d.id = r.department_id
   WHERE r.department_id = ANY(%(mine)s) AND r.status IN ('submitted', 'open', 'in_progress')
   ORDER BY r.created_at DESC, r.id DESC LIMIT 25)
  UNION ALL
  (SELECT 'vorgang', k.id, k.reference, k.title, k.status, d.name, k.created_at, k.due_date
   FROM cases_case k JOIN routing_rules_department d ON d.id = k.department_id
   WHERE k.closed_at IS NULL AND (k.department_id = ANY(%(mine)s) OR EXISTS (
     SELECT 1 FROM cases_casedepartment p WHERE p.case_id = k.id AND p.department_id = ANY(%(mine)s)))
   ORDER BY k.created_at DESC, k.id DESC LIMIT 25)
) page ORDER BY created_at DESC, kind DESC, id DESC LIMIT 25;

SELECT count(*) FILTER (WHERE status IN ('submitted', 'open', 'in_progress')),
       count(*) FILTER (WHERE status = 'submitted'),
       count(*) FILTER (WHERE status IN ('submitted', 'open', 'in_progress') AND due_date < current_date),
       count(*)
FROM reporter_report WHERE department_id = ANY(%(mine)s);

SELECT count(*) FILTER (WHERE closed_at IS NULL), count(*) FILTER (WHERE status = 'new'),
       count(*) FILTER (WHERE closed_at IS NULL AND due_date < current_date), count(*)
FROM cases_case k WHERE k.department_id = ANY(%(mine)s) OR EXISTS (
  SELECT 1 FROM cases_casedepartment p WHERE p.case_id = k.id AND p.department_id = ANY(%(mine)s));
"""


def _setup():
    from routing_rules.models import Category

    clear_tables()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_case, cases_casedepartment, cases_caseevent CASCADE")
    departments = [Department.objects.create(slug=f"fb-{i}", name=f"Fachbereich {i}", email=f"fb{i}@stadt.example")
                   for i in range(DEPARTMENTS)]
    categories = [Category.objects.create(slug=f"kat-{i}", name=f"Kategorie {i}", group="strasse",
                                          default_department=d) for i, d in enumerate(departments)]
    with connection.cursor() as cursor:
        cursor.execute(_LOAD_SQL, {"categories": [c.pk for c in categories], "departments": [d.pk for d in departments],
                                   "n": DEPARTMENTS, "reports": REPORTS, "cases": CASES})
        cursor.execute("ANALYZE reporter_report; ANALYZE cases_case; ANALYZE cases_casedepartment")
    get_user_model().objects.filter(username="bench-clerk").delete()
    clerk = get_user_model().objects.create_user(username="bench-clerk", is_staff=True)
    departments[3].members.add(clerk)
    return clerk, [departments[3].pk]


def run() -> None:
    with hooks.register_temporarily("register_case_type", lambda: BENCH_TYPE):
        clerk, mine = _setup()
        client = Client()
        client.force_login(clerk)
        response = client.get("/sachbearbeitung/")
        html = response.content.decode()
        assert response.status_code == 200 and html.count('data-item="') == 25, html[:500]

        def ours():
            for _ in range(REQUESTS):
                assert client.get("/sachbearbeitung/").status_code == 200

        def raw():
            with connection.cursor() as cursor:
                for _ in range(REQUESTS):
                    for statement in filter(str.strip, _RAW_SQL.split(";")):
                        cursor.execute(statement, {"mine": mine})
                        cursor.fetchall()

        t_raw = best_of(raw)
        t_ours = best_of(ours)
    print(f"inbox: first page of one department's inbox over {REPORTS + CASES:,} reports and cases: "
          f"page {t_ours / REQUESTS * 1000:.2f} ms, raw SQL (UNION ALL page + tab counts) "
          f"{t_raw / REQUESTS * 1000:.2f} ms; ratio {t_ours / t_raw:.2f}x (target ≤ 2x)")

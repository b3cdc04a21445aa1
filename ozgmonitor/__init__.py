"""The OZG monitor: the city's services (its own plug-in services and links to external
ones of the state or "Einer für alle"), their OZG topic, status, dates, delivery route and
maturity (OZG Reifegradmodell), with the history of status changes.

- `topics`, `maturity`: the OZG topics and the maturity model (versions 1.1 and 2.0);
- `models`: `OzgService` and `OzgServiceChange` (the history);
- `selectors`: the monitor's entries (stored rows merged with what plug-in services declare),
  filters, progress over time; `figures`: key figures aggregated from the cases;
- `services`: writes (entry save with history); `csv_import`: the all-or-nothing CSV import;
- `dataset`: the open dataset `ozg-monitor` (CSV, JSON), rebuilt daily (`tasks`);
- `views`: the public page `/ozg-monitor/`.
"""

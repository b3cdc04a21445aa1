"""HTTP views of cases: `citizen` (tracking page) and `staff` (case work screen)."""

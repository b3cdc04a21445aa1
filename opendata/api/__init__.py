"""The CKAN Action API (`/api/3/action/<name>`): registry, actions, dispatcher, URLs."""

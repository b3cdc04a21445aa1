"""The citizen-service portal core: the hook registry services plug into, the service
catalogue (`/leistungen/`, `GET /api/v1/services/`) and the header navigation."""

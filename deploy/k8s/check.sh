#!/usr/bin/env bash
# Offline check of the Kubernetes manifests, without a cluster or Docker: kustomize renders deploy/k8s, and
# check/validate.mjs checks every object against its kind's schema (Kubernetes' OpenAPI, KEDA's CRDs), for
# fields those schemas do not know, and for references between the objects; then it puts known mistakes in and
# fails unless each is reported. A few seconds once the npm packages are installed.
# Usage: bash deploy/k8s/check.sh
set -euo pipefail
cd "$(dirname "$0")"

# kubectl carries kustomize (Debian's kubectl where the machine has none).
command -v kubectl >/dev/null || apt-get install -y -q --no-install-recommends kubectl
if [ ! -f check/node_modules/.package-lock.json ] || [ check/package-lock.json -nt check/node_modules/.package-lock.json ]; then
  npm ci --prefix check --no-audit --no-fund --loglevel=error
fi

# A manifest that kustomization.yaml does not list would be neither applied nor checked.
listed=$(sed -n 's/^  - \([^ ]*\.yaml\)$/\1/p' kustomization.yaml | sort)
present=$(ls -- *.yaml | grep -vx kustomization.yaml | sort)
if [ "$listed" != "$present" ]; then
  echo "kustomization.yaml resources differ from the manifests here:" >&2
  diff <(echo "$listed") <(echo "$present") >&2 || true
  exit 1
fi

rendered=$(kubectl kustomize .)
node check/validate.mjs <<<"$rendered"
node check/validate.mjs --self-test <<<"$rendered"

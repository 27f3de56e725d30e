#!/usr/bin/env bash
# Offline check of the Kubernetes manifests, without a cluster or Docker: kustomize renders deploy/k8s, and
# check/validate.mjs checks every object against its kind's schema (Kubernetes' OpenAPI, KEDA's and the
# Prometheus Operator's CRDs), for fields those schemas do not know, for references between the objects, and
# for what the operator asked of them (memory for the largest file, disruption budgets, spreading, network
# policies, scraping, KEDA's fallback, the archive's group); then it puts known mistakes in and fails unless
# each is reported. A few seconds once the npm packages are installed.
# Usage: bash deploy/k8s/check.sh
set -euo pipefail
cd "$(dirname "$0")"

# kubectl carries kustomize (Debian's kubectl where the machine has none).
command -v kubectl >/dev/null || apt-get install -y -q --no-install-recommends kubectl
if [ ! -f check/node_modules/.package-lock.json ] || [ check/package-lock.json -nt check/node_modules/.package-lock.json ]; then
  npm ci --prefix check --no-audit --no-fund --loglevel=error
fi

# A manifest that its folder's kustomization.yaml does not list would be neither applied nor checked.
for folder in base components/*; do
  listed=$(sed -n 's/^  - \([^ ]*\.yaml\)$/\1/p' "$folder/kustomization.yaml" | sort)
  present=$(cd "$folder" && ls -- *.yaml | grep -vx kustomization.yaml | sort)
  if [ "$listed" != "$present" ]; then
    echo "$folder/kustomization.yaml resources differ from the manifests there:" >&2
    diff <(echo "$listed") <(echo "$present") >&2 || true
    exit 1
  fi
done

# The base must apply to a cluster without any operator: built-in kinds only.
foreign=$(kubectl kustomize base | sed -n 's/^apiVersion: //p' | sort -u \
  | grep -vxE 'v1|apps/v1|batch/v1|policy/v1|networking.k8s.io/v1' || true)
if [ -n "$foreign" ]; then
  echo "base/ has objects of kinds a plain cluster lacks ($foreign): put them in a component" >&2
  exit 1
fi

# The default (what kubectl apply -k deploy/k8s applies) must render; the check itself runs on the base with
# every component, so that each object is checked whichever a cluster uses.
kubectl kustomize . >/dev/null
all=$(mktemp -d check/.render-XXXXXX)
trap 'rm -rf "$all"' EXIT
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "namespace: pipeline"
  echo "resources: [../../base]"
  echo "components:"
  for component in components/*; do echo "  - ../../$component"; done
} >"$all/kustomization.yaml"
rendered=$(kubectl kustomize "$all")
node check/validate.mjs <<<"$rendered"
node check/validate.mjs --self-test <<<"$rendered"

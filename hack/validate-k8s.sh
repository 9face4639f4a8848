#!/usr/bin/env bash
# Validate rendered Kubernetes YAML strictly against a real kube-apiserver
# (server-side dry-run), in one go: build (cached), start, validate, stop.
# (`start` builds, or reuses the cached binaries.)
#
#   hack/validate-k8s.sh FILE_OR_DIR...
#
# Exits non-zero when any object is rejected (unknown or misspelled fields,
# wrong types, failed validation, unknown kinds). See hack/kube-apiserver.sh
# for the pieces and the environment variables they read.
set -euo pipefail

HACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if (( $# == 0 )); then
  echo "usage: $0 FILE_OR_DIR..." >&2
  exit 2
fi

DIR="$(mktemp -d "${TMPDIR:-/tmp}/wordpress-fn-apiserver.XXXXXX")"
cleanup() { "${HACK}/kube-apiserver.sh" stop "${DIR}" || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"${HACK}/kube-apiserver.sh" start "${DIR}"
"${HACK}/kube-apiserver.sh" validate --dir "${DIR}" "$@"

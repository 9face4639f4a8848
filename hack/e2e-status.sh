#!/usr/bin/env bash
# Which parts of the real-tool suite (`make e2e`) can run now without
# building anything large, and what `make e2e` builds or installs first.
# The Makefile uses it so that `make test` stays quick on a new machine and
# says loudly what it skipped.
#
#   hack/e2e-status.sh ready validate-k8s|cluster-test
#       exit 0 when the part can run without a long build (cluster-test:
#       and Docker answers); else print on stderr that it is SKIPPED, why,
#       and the command that runs it, and exit 1.
#   hack/e2e-status.sh plan
#       print what `make e2e` (or `make test` under CI) is about to build or
#       install, before it does, and what of it needs root.
#   hack/e2e-status.sh summary
#       the banner at the end of `make test`: every real-tool part that was
#       skipped, and `make e2e` to run them. Silent when nothing was.
#
# Environment: WPFN_TOOL_PATHS (the pinned tools' cached paths, set by the
# Makefile), WORDPRESS_FN_CACHE (read by the scripts it asks), CI.
set -euo pipefail

HACK="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

docker_answers() { docker info >/dev/null 2>&1; }

# The pinned go-installed tools not in the cache, one a line.
missing_tools() {
  local p
  for p in ${WPFN_TOOL_PATHS:-}; do
    [[ -x "${p}" ]] || printf '%s (go install, into %s)\n' \
      "$(basename "${p}") $(basename "$(dirname "${p}")" | sed 's/.*-\(v[0-9]\)/\1/')" "$(dirname "${p}")"
  done
}

bullets() { sed 's/^/      - /'; }

cmd_ready() {
  local part="${1:?usage: $0 ready validate-k8s|cluster-test}" missing
  case "${part}" in
    validate-k8s)
      missing="$("${HACK}/kube-apiserver.sh" missing)" && return 0 ;;
    cluster-test)
      if ! docker_answers; then
        echo '!!! docker does not answer: the cluster test (make cluster-test) was SKIPPED' >&2
        return 1
      fi
      missing="$("${HACK}/cluster.sh" missing)" && return 0 ;;
    *) echo "unknown part ${part}" >&2; exit 2 ;;
  esac
  {
    echo "!!! make ${part} was SKIPPED: it needs what is not built on this machine yet:"
    bullets <<< "${missing}"
    echo "    \`make e2e\` builds it once (cached outside the clone) and runs it."
  } >&2
  return 1
}

cmd_plan() {
  local tools apiserver cluster=''
  tools="$(missing_tools)"
  apiserver="$("${HACK}/kube-apiserver.sh" missing)" || true
  if [[ -n "${CI:-}" ]] || docker_answers; then
    cluster="$("${HACK}/cluster.sh" missing)" || true
  fi
  # The cluster's build of the Kubernetes commands includes validate-k8s's.
  if grep -q '^kube-apiserver ' <<< "${cluster}"; then
    apiserver="$(grep -v '^kube-apiserver \|^kubectl ' <<< "${apiserver}" || true)"
  fi
  if [[ -z "${tools}${apiserver}${cluster}" ]]; then
    echo '>>> make e2e: every tool is built; nothing to install' >&2
    return 0
  fi
  {
    echo '>>> make e2e builds or installs first (once per machine, cached under'
    echo "    ${WORDPRESS_FN_CACHE:-~/.cache/wordpress-fn}; a cold machine of 2 cores takes 30 to 40 min):"
    [[ -z "${tools}" ]] || bullets <<< "${tools}"
    [[ -z "${apiserver}" ]] || bullets <<< "${apiserver}"
    [[ -z "${cluster}" ]] || bullets <<< "${cluster}"
    if grep -q 'root' <<< "${apiserver}${cluster}"; then
      echo '    The items that say "needs root" run apt-get or debootstrap: run as root, or with sudo available.'
    fi
  } >&2
}

cmd_summary() {
  local skipped=()
  [[ -z "$(missing_tools)" ]] || skipped+=("the e2e go tests that run kustomize, Helm or kube-score (they printed SKIPPED above)")
  "${HACK}/kube-apiserver.sh" missing >/dev/null || skipped+=("make validate-k8s: every output against a real kube-apiserver")
  if ! docker_answers; then
    skipped+=("make cluster-test: docker does not answer")
  elif ! "${HACK}/cluster.sh" missing >/dev/null; then
    skipped+=("make cluster-test: the site on a real one-node cluster")
  fi
  command -v kpt >/dev/null || skipped+=("the kpt tests: kpt is not on PATH (see the README)")
  [[ -n "${CI:-}" ]] || skipped+=("the bounded fuzz run (make fuzz; the seed corpora ran in go test)")
  (( ${#skipped[@]} > 0 )) || return 0
  {
    echo
    echo '!!! make test passed, but did NOT run these (the real-tool tests whose tools are not here):'
    printf '      - %s\n' "${skipped[@]}"
    echo '    Run `make e2e` to build the tools (once per machine) and run them all;'
    echo '    `make e2e` says what it will build or install before it starts.'
    echo
  } >&2
}

main() {
  local cmd="${1:-}"
  (( $# > 0 )) && shift
  case "${cmd}" in
    ready) cmd_ready "$@" ;;
    plan) cmd_plan ;;
    summary) cmd_summary ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  esac
}

main "$@"

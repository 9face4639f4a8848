#!/usr/bin/env bash
# make bench: wordpress-fn as a whole process, against its floors, on the
# same generated inputs (issue 4). See bench/README.md.
#
#   BENCH_SIZES="1000 10000 50000"   list sizes (resources, plus base/'s)
#   BENCH_OUT=out/bench              where inputs and results go
#   BENCH_ONE_RUNS=30                runs of the one-site comparison
#   BENCH_MEM_SIZE=10000             list size of the memory comparison
#
# Needs hyperfine and GNU time (installed from Debian when missing),
# bin/wordpress-fn and bin/tools/kustomize (the Makefile builds both).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
export GOTOOLCHAIN=local CGO_ENABLED=0

OUT=$(mkdir -p "${BENCH_OUT:-out/bench}" && cd "${BENCH_OUT:-out/bench}" && pwd)
SIZES=${BENCH_SIZES:-"1000 10000 50000"}
FN=$ROOT/bin/wordpress-fn
KUSTOMIZE=$ROOT/bin/tools/kustomize

log() { printf '\n== %s\n' "$*" >&2; }

# Public tools, from Debian.
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
missing=()
command -v hyperfine >/dev/null || missing+=(hyperfine)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
for f in "$FN" "$KUSTOMIZE"; do
	[ -x "$f" ] || { echo "bench: $f is missing: run make bench" >&2; exit 1; }
done

log "building the floors, the generator and the report"
mkdir -p "$OUT/bin" "$OUT/results"
for p in noop yamlrt genlist report procstat; do
	go build -trimpath -o "$OUT/bin/$p" "./bench/$p"
done

# runs gives hyperfine's runs for a list size: fewer on the big lists, so
# that the whole benchmark takes a few minutes.
runs() {
	if [ "$1" -ge 50000 ]; then echo 3; elif [ "$1" -ge 10000 ]; then echo 5; else echo 10; fi
}

# measure NAME... runs hyperfine on "NAME=COMMAND" pairs; every run also
# goes through GNU time, which appends its max RSS (KB) to DIR/NAME.rss.
measure() {
	local dir=$1 runs=$2
	shift 2
	mkdir -p "$dir"
	local args=()
	for spec in "$@"; do
		local name=${spec%%=*} cmd=${spec#*=}
		rm -f "$dir/$name.rss"
		args+=(-n "$name" "/usr/bin/time -f %M -a -o $dir/$name.rss $cmd")
	done
	hyperfine --style basic --warmup 1 --runs "$runs" --export-json "$dir/hyperfine.json" "${args[@]}" >&2
}

profile=examples/seed-production/profile.yaml
for n in $SIZES; do
	in=$OUT/rl-$n.yaml
	log "$n resources: generating $in"
	"$OUT/bin/genlist" -n "$n" -base base -profile "$profile" -o "$in"
	# The function must succeed on it before it is timed.
	"$FN" <"$in" >"$OUT/out-$n.yaml" 2>/dev/null
	"$OUT/bin/noop" <"$in" >/dev/null
	d=$OUT/results/list-$n
	mkdir -p "$d"
	wc -c <"$in" >"$d/bytes"
	echo "$n" >"$d/resources"
	measure "$d" "$(runs "$n")" \
		"wordpress-fn=$FN < $in > /dev/null" \
		"no-op=$OUT/bin/noop < $in > /dev/null" \
		"yaml.v3=$OUT/bin/yamlrt < $in > /dev/null"
done

# kustomize: the plugin (exec function) against the same result
# pre-rendered as plain files.
log "kustomize: the exec plugin against its pre-rendered output"
kflags=(build --enable-alpha-plugins --enable-exec)
overlay=overlays/prod-exec
if [ ! -f "$overlay/kustomization.yaml" ] || ! "$KUSTOMIZE" "${kflags[@]}" "$overlay" >"$OUT/plugin.yaml" 2>/dev/null; then
	# Not there (yet): an equivalent, the production profile as an exec
	# transformer over base/.
	overlay=$OUT/prod-exec
	rm -rf "$overlay" && mkdir -p "$overlay"
	cat >"$overlay/kustomization.yaml" <<EOF
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- $(realpath --relative-to="$overlay" "$ROOT/base")
transformers:
- profile.yaml
EOF
	sed "s#^  annotations:#  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: $(realpath --relative-to="$overlay" "$FN")#" \
		"$profile" >"$overlay/profile.yaml"
	"$KUSTOMIZE" "${kflags[@]}" "$overlay" >"$OUT/plugin.yaml"
fi
plain=$OUT/prerendered
rm -rf "$plain" && mkdir -p "$plain"
cp "$OUT/plugin.yaml" "$plain/resources.yaml"
printf 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- resources.yaml\n' >"$plain/kustomization.yaml"
"$KUSTOMIZE" build "$plain" | cmp -s - "$OUT/plugin.yaml" || {
	echo "bench: the pre-rendered build differs from the plugin's" >&2
	exit 1
}
d=$OUT/results/kustomize
echo "$overlay" >"$OUT/results/kustomize-overlay"
measure "$d" 10 \
	"plugin=$KUSTOMIZE ${kflags[*]} $overlay > /dev/null" \
	"plain=$KUSTOMIZE build $plain > /dev/null"

# One site (issue 10): expand of the production profile against the no-op
# function fed the same 16 objects, as whole processes, interleaved runs.
log "one site: expand against the no-op function"
cfg=$OUT/one-site-config.yaml
{
	printf 'apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: []\nfunctionConfig:\n'
	sed 's/^/  /' "$profile"
} >"$cfg"
"$FN" <"$cfg" >"$OUT/one-site.yaml"
one=(
	"no-op=$OUT/bin/noop < $OUT/one-site.yaml > /dev/null"
	"expand=$FN expand -f $profile > /dev/null"
	"KRM=$FN < $cfg > /dev/null"
	"version=$FN version > /dev/null"
)
HELM=$ROOT/bin/tools/helm
if [ -x "$HELM" ]; then
	one+=("helm template=$HELM template site examples/helm/wordpress > /dev/null")
else
	echo "bench: no $HELM (make tools): the helm row is left out" >&2
fi
"$OUT/bin/procstat" -n "${BENCH_ONE_RUNS:-30}" -warmup 3 -title "one site" -json "$OUT/results/one-site.json" "${one[@]}" >"$OUT/one-site.md"

# Memory in proportion to the input (issue 10): the KRM path and harden on
# the same resources, a ResourceList and a multi-document stream.
msize=${BENCH_MEM_SIZE:-10000}
log "memory: the KRM path and harden on $msize resources"
rl=$OUT/rl-$msize.yaml
[ -f "$rl" ] || "$OUT/bin/genlist" -n "$msize" -base base -profile "$profile" -o "$rl"
stream=$OUT/stream-$msize.yaml
"$OUT/bin/genlist" -stream -n "$msize" -base base -o "$stream"
"$OUT/bin/procstat" -n 3 -warmup 0 -title "$msize resources" -json "$OUT/results/memory.json" \
	-input "KRM=$rl" -input "harden=$stream" \
	"KRM=$FN < $rl > /dev/null 2>&1" \
	"harden=$FN harden -f $profile < $stream > /dev/null 2>&1" >"$OUT/memory.md"

log "results"
{
	"$OUT/bin/report" -overlay "$(realpath --relative-to="$ROOT" "$overlay")" "$OUT/results"
	echo
	cat "$OUT/one-site.md"
	echo
	cat "$OUT/memory.md"
} | tee "$OUT/table.md"

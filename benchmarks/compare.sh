#!/usr/bin/env bash
# Side-by-side figures for detection (issue 13), each a ratio or count measured in one run on the
# same generated host tree, printed one line per figure:
#   detect-vs-lspci N=1000 <warm detect time / one `lspci -vmm -k` process on the same tree>
#   detect-vs-floor N=1000 <warm detect time / reading once each path the detector read>
#   detect-syscalls-per-function N=1000 <system calls of one detect (strace -c -f, JVM start-up
#                                        subtracted) / N>
# Builds what it needs (the benchmarks jar), installs pciutils and strace when missing (apt), and
# writes the tree to $NIOVIRT_BENCH_DIR (default /dev/shm; about 0.37 MB per function).
# Usage: benchmarks/compare.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
dir=${NIOVIRT_BENCH_DIR:-/dev/shm}
jar=benchmarks/target/benchmarks.jar

as_root=()
[ "$(id -u)" -ne 0 ] && as_root=(sudo)
for tool in lspci:pciutils strace:strace; do
  command -v "${tool%%:*}" >/dev/null || "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq "${tool##*:}" >/dev/null
done
[ -f "$jar" ] || mvn -q -B -DskipTests -pl benchmarks -am package >&2

tree="$dir/nio-virt-bench-$n"
[ -d "$tree/sys" ] || /usr/bin/python3 benchmarks/tools/gen-sysfs-tree.py "$tree" "$n" >&2

# Warm detect and the floor, medians in this JVM.
times=$(java -cp "$jar" org.niovirt.benchmarks.DetectTimer "$tree")
detect_ms=$(awk '/^detect_ms/ {print $2}' <<<"$times")
floor_ms=$(awk '/^floor_ms/ {print $2}' <<<"$times")

# One lspci process, median of 5 (wall milliseconds).
lspci_runs=()
for _ in 1 2 3 4 5; do
  start=$(date +%s%N)
  lspci -A linux-sysfs -O sysfs.path="$tree/sys/bus/pci" -vmm -k >/dev/null
  lspci_runs+=($(( ($(date +%s%N) - start) / 1000 )))
done
lspci_ms=$(printf '%s\n' "${lspci_runs[@]}" | sort -n | sed -n 3p | awk '{printf "%.3f", $1 / 1000}')

# System calls of one detect: a JVM that detects once minus the same JVM that does not.
count() {
  local out; out=$(mktemp)
  strace -f -c -o "$out" java -cp "$jar" org.niovirt.benchmarks.DetectTimer "$tree" "$1" >/dev/null
  awk '/ total$/ {print $4}' "$out"
  rm -f "$out"
}
with=$(count --once)
without=$(count --none)

awk -v n="$n" -v d="$detect_ms" -v l="$lspci_ms" -v f="$floor_ms" -v w="$with" -v o="$without" 'BEGIN {
  printf "detect-vs-lspci N=%d %.2f\n", n, d / l
  printf "detect-vs-floor N=%d %.2f\n", n, d / f
  printf "detect-syscalls-per-function N=%d %.1f\n", n, (w - o) / n
}'

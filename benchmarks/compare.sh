#!/usr/bin/env bash
# Side-by-side figures for detection (issue 13), each a ratio or count measured in one run on the
# same generated host tree, printed one line per figure:
#   detect-vs-lspci N=1000 <warm detect time / one `lspci -vmm -k` process on the same tree>
#   detect-vs-floor N=1000 <warm detect time / reading once each path the detector read>
#   detect-syscalls-per-function N=1000 <system calls of one warm detect / N (strace -c -f of a JVM
#                                        that detects 31 times minus one that detects 30 times)>
#   cli-vs-lspci N=1000 <cold `nio-virt inventory --format json` / one lspci process>
#   launch-1000-vs-10 <LibvirtHost.launch with 1,000 domains defined / with 10 (test driver)>
#   launch-vs-bare <LibvirtHost.launch / bare define+create of the same XML, 1,000 defined>
#                  (each run starts from a settled host: the previous guest removed, its events seen)
#   planner-10k-ms <ms per planAll of 10,000 NICs on 64 PFs x 64 VFs>
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
./nio-virt --version >/dev/null  # builds the launcher's jar when it is missing or stale

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
  lspci -A linux-sysfs -O sysfs.path="$tree/sys/bus/pci" -vmm -k >/dev/null 2>&1
  lspci_runs+=($(( ($(date +%s%N) - start) / 1000 )))
done
lspci_ms=$(printf '%s\n' "${lspci_runs[@]}" | sort -n | sed -n 3p | awk '{printf "%.3f", $1 / 1000}')

# The cold command line through the ./nio-virt launcher (its JVM options), median of 3 (wall ms).
cli_runs=()
for _ in 1 2 3; do
  start=$(date +%s%N)
  NIOVIRT_NO_BUILD=1 ./nio-virt inventory --root "$tree" --format json >/dev/null 2>&1
  cli_runs+=($(( ($(date +%s%N) - start) / 1000 )))
done
cli_ms=$(printf '%s\n' "${cli_runs[@]}" | sort -n | sed -n 2p | awk '{printf "%.3f", $1 / 1000}')

# Launches on the test driver and the planner, each in its own JVM.
launch=$(java -cp "$jar" org.niovirt.benchmarks.LaunchTimer 2>/dev/null)
planner=$(java -cp "$jar" org.niovirt.benchmarks.PlannerTimer 2>/dev/null)
value() { awk -v key="$1" '$1 == key {print $2}' <<<"$2"; }

# System calls of one warm detect: a JVM that warms up and detects once more, minus one that only
# warms up (the JIT compiling the detector is the same in both).
count() {
  local out; out=$(mktemp)
  strace -f -c -o "$out" java -cp "$jar" org.niovirt.benchmarks.DetectTimer "$tree" "$1" >/dev/null
  awk '/ total$/ {print $4}' "$out"
  rm -f "$out"
}
with=$(count --once)
without=$(count --none)

awk -v n="$n" -v d="$detect_ms" -v l="$lspci_ms" -v f="$floor_ms" -v w="$with" -v o="$without" \
    -v c="$cli_ms" -v l10="$(value launch_ms_10 "$launch")" -v l1000="$(value launch_ms_1000 "$launch")" \
    -v bare="$(value bare_ms_1000 "$launch")" -v p="$(value planner_10k_ms "$planner")" 'BEGIN {
  printf "detect-vs-lspci N=%d %.2f\n", n, d / l
  printf "detect-vs-floor N=%d %.2f\n", n, d / f
  printf "detect-syscalls-per-function N=%d %.1f\n", n, (w - o) / n
  printf "cli-vs-lspci N=%d %.2f\n", n, c / l
  printf "launch-1000-vs-10 %.2f\n", l1000 / l10
  printf "launch-vs-bare %.1f\n", l1000 / bare
  printf "planner-10k-ms %.0f\n", p
}'

#!/usr/bin/env bash
# Side by side: this machine's inventory read locally and read over SSH on loopback (sshd on
# 127.0.0.1, scripts/start-test-sshd.sh), through the launcher, each run 5 times; prints the
# median wall time of each (JVM start included) and their ratio:
#   inventory-local-s <median>   inventory-ssh-s <median>   ssh-vs-local <ratio>
# Usage: benchmarks/remote-inventory.sh [URI] (default qemu+ssh://root@127.0.0.1/system)
set -euo pipefail
cd "$(dirname "$0")/.."
uri=${1:-qemu+ssh://root@127.0.0.1/system}
./nio-virt --version >/dev/null  # builds the launcher's jar when it is missing or stale
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
timed() {
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
local_runs=() ssh_runs=()
for _ in 1 2 3 4 5; do
  local_runs+=("$(timed ./nio-virt inventory --format json)")
  ssh_runs+=("$(timed ./nio-virt inventory --format json --connect "$uri")")
done
local_s=$(printf '%s\n' "${local_runs[@]}" | median)
ssh_s=$(printf '%s\n' "${ssh_runs[@]}" | median)
printf 'inventory-local-s %.2f\ninventory-ssh-s %.2f\nssh-vs-local %.1f\n' "$local_s" "$ssh_s" \
  "$(echo "$ssh_s / $local_s" | bc -l)"

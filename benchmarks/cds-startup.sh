#!/usr/bin/env bash
# Start-up of the CLI with and without an application class-data-sharing archive (JDK 17 AppCDS,
# dynamic: -XX:ArchiveClassesAtExit once, then -XX:SharedArchiveFile), side by side in one script:
# N fresh JVMs each, alternated, medians. The command is `nio-virt inventory` on this host (cold:
# every run is a new JVM; the JDK's own base archive is on in both columns, as by default).
#
# Usage: benchmarks/cds-startup.sh [RUNS]   (default 15; needs the launcher jar: mvn -pl nio-virt-cli -am package)
# Prints: median seconds without and with the archive, and the saving in percent.
set -euo pipefail
runs=${1:-15}
project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar=$(ls "$project_dir"/nio-virt-cli/target/nio-virt-cli-*-all.jar | head -1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
archive=$work/nio-virt.jsa
# The launcher's own options (./nio-virt, /usr/bin/nio-virt): C1 only, serial GC.
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off)

java "${opts[@]}" -XX:ArchiveClassesAtExit="$archive" -jar "$jar" inventory >/dev/null 2>&1
[ -s "$archive" ] || { echo "cds-startup: no archive was written" >&2; exit 1; }

seconds() {
    local started ended
    started=$(date +%s.%N)
    java "$@" -jar "$jar" inventory >/dev/null 2>&1
    ended=$(date +%s.%N)
    echo "$ended - $started" | bc -l
}
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }

: > "$work/without"; : > "$work/with"
for ((i = 0; i < runs; i++)); do
    seconds "${opts[@]}" >> "$work/without"
    seconds "${opts[@]}" -XX:SharedArchiveFile="$archive" >> "$work/with"
done
without=$(median < "$work/without")
with=$(median < "$work/with")
printf 'inventory, median of %d fresh JVMs: without archive %.3f s, with %.3f s, saving %.0f %%\n' \
    "$runs" "$without" "$with" "$(echo "(1 - $with / $without) * 100" | bc -l)"

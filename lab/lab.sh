#!/bin/bash
# The hardware lab in one command: prepares QEMU 10, the kernel and the images (hosts/prepare.sh),
# then boots every emulated host profile (or the ones named) one after another with
# hosts/run-host.sh, and prints the time of each. `mvn -Plab verify` does the same and checks the
# results; this script is for running the lab by hand and for regenerating the snapshots.
# Usage: lab/lab.sh [--save-snapshots] [PROFILE...]   (as root)
#   --save-snapshots  copies each host's snapshot (written by `nio-virt snapshot` inside it) to
#                     nio-virt-detect/src/test/resources/captures/lab/NAME.tar.gz
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$LAB_DIR/.." && pwd)
source "$LAB_DIR/capture/lib.sh"
export OUT_DIR=${OUT_DIR:-$LAB_WORK/hosts-out}
SNAPSHOTS_DIR=$REPO_DIR/nio-virt-detect/src/test/resources/captures/lab

save=false
if [ "${1:-}" = "--save-snapshots" ]; then save=true; shift; fi
if [ $# -eq 0 ]; then
    mapfile -t all < <(cd "$LAB_DIR/hosts/profiles" && ls ./*.properties | sed 's|^\./||; s/\.properties$//')
    set -- "${all[@]}"
fi
[ -n "$(ls "$REPO_DIR"/nio-virt-cli/target/nio-virt-cli-*-all.jar 2>/dev/null)" ] \
    || (cd "$REPO_DIR" && mvn -q -B -DskipTests -pl nio-virt-cli -am package)

"$LAB_DIR/hosts/prepare.sh"
declare -A took=()
failed=()
for name in "$@"; do
    started=$SECONDS
    if "$LAB_DIR/hosts/run-host.sh" "$name"; then
        if $save; then
            mkdir -p "$SNAPSHOTS_DIR"
            cp "$OUT_DIR/$name/snapshot.tar.gz" "$SNAPSHOTS_DIR/$name.tar.gz"
            echo "lab: saved $SNAPSHOTS_DIR/$name.tar.gz"
        fi
    else
        failed+=("$name")
    fi
    took[$name]=$((SECONDS - started))
done
echo "lab: time per host"
for name in "$@"; do
    echo "lab:   $name ${took[$name]} s"
done
[ ${#failed[@]} -eq 0 ] || die "failed: ${failed[*]} (logs above; results in $OUT_DIR)"

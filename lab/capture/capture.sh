#!/bin/bash
# The whole lab in one command: fetch QEMU 10 and the guest kernel and build
# the rocker module (first run only), build the initramfs, then capture each
# machine one after the other.
# Usage: lab/capture/capture.sh [--force] [NAME...]   (default: every machine
# in machines/; existing captures are kept unless --force)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
source "$LAB_DIR/lib.sh"

force=()
if [ "${1:-}" = "--force" ]; then force=(--force); shift; fi
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for definition in "$LAB_DIR"/machines/*.sh; do
        names+=("$(basename "$definition" .sh)")
    done
fi

[ -x "$QEMU" ] || "$LAB_DIR/fetch.sh"
[ -f "$EXTRA_MODULES_DIR/rocker.ko" ] || "$LAB_DIR/build-rocker.sh"
"$LAB_DIR/build-initramfs.sh"
"$LAB_DIR/run-capture.sh" "${force[@]}" "${names[@]}"

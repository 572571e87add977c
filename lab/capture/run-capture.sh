#!/bin/bash
# Boots one emulated machine per name (machines/NAME.sh) under QEMU TCG and
# stores the guest's sysfs/procfs capture as OUTPUT_DIR/NAME.tar.gz.
# Usage: run-capture.sh [--force] NAME...   (after fetch.sh and build-initramfs.sh)
#   OUTPUT_DIR  default: nio-virt-detect/src/test/resources/captures of this repo
#   BOOT_TIMEOUT_SECONDS  default 300 (a boot takes about 40-60 s under TCG)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
source "$LAB_DIR/lib.sh"
OUTPUT_DIR=${OUTPUT_DIR:-$(cd "$LAB_DIR/../.." && pwd)/nio-virt-detect/src/test/resources/captures}
BOOT_TIMEOUT_SECONDS=${BOOT_TIMEOUT_SECONDS:-300}

force=false
if [ "${1:-}" = "--force" ]; then force=true; shift; fi
machine_names() {
    find "$LAB_DIR/machines" -name '*.sh' -printf '%f\n' | sed 's/\.sh$//' | sort | tr '\n' ' '
}
[ $# -gt 0 ] || die "usage: run-capture.sh [--force] NAME... (names: $(machine_names))"
[ -f "$LAB_WORK/initramfs.cpio.gz" ] || die "run fetch.sh and build-initramfs.sh first"
mkdir -p "$OUTPUT_DIR" "$LAB_WORK/logs"

capture_machine() {
    local name=$1
    local definition=$LAB_DIR/machines/$name.sh
    [ -f "$definition" ] || die "machine '$name' has no definition $definition"
    local target=$OUTPUT_DIR/$name.tar.gz
    if [ -e "$target" ] && ! $force; then
        echo "$name: $target exists, skipped (--force replaces it)"
        return 0
    fi

    # A definition sets IOMMU_ARGS, DEVICE_ARGS (arrays), GUEST_CMDLINE and
    # may move the 9p share off slot 2 (SHARE_ADDR).
    local IOMMU_ARGS=() DEVICE_ARGS=() GUEST_CMDLINE="" SHARE_ADDR=02.0
    nic virtio-net-pci mgmt 52:54:00:12:34:56 addr=03.0
    # shellcheck source=/dev/null
    source "$definition"

    local share log
    share=$(mktemp -d)
    log=$LAB_WORK/logs/$name.log
    local started=$SECONDS
    # 00:02.0 is the 9p share the capture leaves by, 00:03.0 the management NIC.
    timeout "$BOOT_TIMEOUT_SECONDS" "$QEMU" \
        -L "$ROOT_DIR/usr/share/qemu" -L "$ROOT_DIR/usr/share/seabios" \
        -accel tcg -machine q35,kernel-irqchip=split -cpu max -smp 2 -m 1024 \
        -display none -serial "file:$log" -monitor none -no-reboot \
        -kernel "$LAB_WORK/vmlinuz" -initrd "$LAB_WORK/initramfs.cpio.gz" \
        -append "console=ttyS0 ${LAB_QUIET-quiet} panic=-1 $GUEST_CMDLINE" \
        "${IOMMU_ARGS[@]}" \
        -fsdev "local,id=out,path=$share,security_model=none" \
        -device virtio-9p-pci,fsdev=out,mount_tag=out,addr=$SHARE_ADDR \
        "${DEVICE_ARGS[@]}" \
        || echo "qemu ended with status $? (see $log)"
    if ! grep -q "lab: capture written" "$log" || [ ! -s "$share/capture.tar.gz" ]; then
        rm -rf "$share"
        die "machine $name: no capture (console log: $log)"
    fi
    mv "$share/capture.tar.gz" "$target"
    rm -rf "$share"
    echo "$name: $(du -k "$target" | cut -f1) KiB in $((SECONDS - started)) s -> $target"
}

for name in "$@"; do
    capture_machine "$name"
done

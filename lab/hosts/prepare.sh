#!/bin/bash
# Gets what the emulated lab hosts need, once (cached in $LAB_WORK): QEMU 10 and a Debian 6.1
# kernel (../capture/fetch.sh), the hosts' initramfs (host-init, NIC, 9p and vfio modules), and the
# nested guests' image (scripts/build-guest-image.sh, as for the real-libvirtd tests).
# Usage: prepare.sh   (as root; FORCE=1 fetches again)
set -euo pipefail
HOSTS_DIR=$(cd "$(dirname "$0")" && pwd)
source "$HOSTS_DIR/../capture/lib.sh"
started=$SECONDS
if [ -n "${FORCE:-}" ] || [ ! -x "$QEMU" ] || [ ! -f "$ROOT_DIR/KERNEL_PACKAGE" ]; then
    "$HOSTS_DIR/../capture/fetch.sh"
fi
INIT_SCRIPT=$HOSTS_DIR/host-init INITRAMFS=$LAB_WORK/host-initramfs.cpio.gz \
    MORE_MODULES="vfio vfio_iommu_type1 vfio-pci tun" "$HOSTS_DIR/../capture/build-initramfs.sh"
"$HOSTS_DIR/../../scripts/build-guest-image.sh" >/dev/null
echo "prepare: done in $((SECONDS - started)) s"

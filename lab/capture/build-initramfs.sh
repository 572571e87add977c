#!/bin/bash
# Builds the capture guest's initramfs from the fetched kernel and busybox:
# busybox as /bin, the NIC, virtio and 9p modules (dependencies first, from
# modules.dep), guest/init as /init and guest/capture-tree.sh, plus the
# modules of $EXTRA_MODULES_DIR under /lib/modules/extra (loaded on request).
# Usage: build-initramfs.sh   (after fetch.sh)
#   The emulated hosts of lab/hosts reuse it with their own init and more modules:
#   INIT_SCRIPT (default guest/init), MORE_MODULES (space-separated module names),
#   INITRAMFS (default $LAB_WORK/initramfs.cpio.gz).
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
source "$LAB_DIR/lib.sh"

# virtio_net first: the init loads modules in this order, so the management NIC is eth0.
# shellcheck disable=SC2206 # MORE_MODULES is a list of words
WANTED_MODULES=(virtio_pci virtio_net e1000e igb igbvf 9pnet_virtio 9p ${MORE_MODULES:-})
INIT_SCRIPT=${INIT_SCRIPT:-$LAB_DIR/guest/init}
INITRAMFS=${INITRAMFS:-$LAB_WORK/initramfs.cpio.gz}

[ -x "$QEMU" ] || die "run fetch.sh first ($QEMU is missing)"
kernel_release=$(ls "$ROOT_DIR/lib/modules")
modules_dir=$ROOT_DIR/lib/modules/$kernel_release
depmod -b "$ROOT_DIR" "$kernel_release"

declare -A loaded=()
ordered=()
# Appends a module's dependencies (depth first) and then the module itself.
add_module() {
    local path=$1 dep
    [ -n "${loaded[$path]:-}" ] && return 0
    loaded[$path]=1
    local line
    line=$(grep -E "^${path}:" "$modules_dir/modules.dep") || die "module $path is not in modules.dep"
    for dep in ${line#*:}; do
        add_module "$dep"
    done
    ordered+=("$path")
}
for module in "${WANTED_MODULES[@]}"; do
    path=$(grep -oE "^[^:]*/${module}\.ko(\.xz|\.zst)?:" "$modules_dir/modules.dep" | tr -d ':') \
        || die "module $module is not built as a module in $kernel_release"
    add_module "$path"
done

staging=$(mktemp -d "$LAB_WORK/initramfs.XXXXXX")
mkdir -p "$staging"/{bin,etc,proc,sys,dev,lib/modules}
cp "$ROOT_DIR/bin/busybox" "$staging/bin/busybox"
cp "$INIT_SCRIPT" "$staging/init"
cp "$LAB_DIR/guest/capture-tree.sh" "$staging/bin/capture-tree"
chmod +x "$staging/init" "$staging/bin/capture-tree"
: > "$staging/etc/lab-modules"
for path in "${ordered[@]}"; do
    mkdir -p "$staging/lib/modules/$(dirname "$path")"
    cp "$modules_dir/$path" "$staging/lib/modules/$path"
    echo "$path" >> "$staging/etc/lab-modules"
done
if compgen -G "$EXTRA_MODULES_DIR/*.ko" >/dev/null; then
    mkdir -p "$staging/lib/modules/extra"
    cp "$EXTRA_MODULES_DIR"/*.ko "$staging/lib/modules/extra/"
fi
(cd "$staging" && find . | cpio -o -H newc --quiet | gzip -9) > "$INITRAMFS.tmp"
mv "$INITRAMFS.tmp" "$INITRAMFS"
rm -rf "$staging"
cp "$ROOT_DIR/boot/vmlinuz-$kernel_release" "$LAB_WORK/vmlinuz"
echo "initramfs: $INITRAMFS (${#ordered[@]} modules, kernel $kernel_release)"

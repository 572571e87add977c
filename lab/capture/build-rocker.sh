#!/bin/bash
# Builds the in-tree rocker driver (drivers/net/ethernet/rocker) for the
# fetched guest kernel. Debian does not enable CONFIG_ROCKER, but rocker is
# the only QEMU NIC whose driver gives one PCI function several netdevs (one
# per switch port), so it is built from Debian's own linux-source-6.1 against
# the matching linux-headers, with the same gcc-12 the kernel was built with.
# The module is unsigned: the guest kernel loads it (no MODULE_SIG_FORCE) and
# marks itself tainted. Usage: build-rocker.sh   (after fetch.sh)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
source "$LAB_DIR/lib.sh"

kernel_deb=$(ls "$DEBS_DIR"/linux-image-6.1.0-*-amd64_*.deb 2>/dev/null) || die "run fetch.sh first"
kernel_version=$(dpkg-deb -f "$kernel_deb" Version)
kernel_release=$(ls "$ROOT_DIR/lib/modules")
command -v gcc-12 >/dev/null || apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends gcc-12 make >/dev/null

kbuild_debs=$LAB_WORK/kbuild-debs
kbuild_root=$LAB_WORK/kbuild-root
rm -rf "$kbuild_debs" "$kbuild_root"
mkdir -p "$kbuild_debs" "$kbuild_root"
cd "$kbuild_debs"
private_apt download -q \
    "linux-headers-$kernel_release=$kernel_version" \
    "linux-headers-${kernel_release%-amd64}-common=$kernel_version" \
    "linux-kbuild-6.1=$kernel_version" \
    "linux-source-6.1=$kernel_version"
for deb in linux-headers-*.deb linux-kbuild-*.deb; do
    dpkg-deb -x "$deb" "$kbuild_root"
done
headers=$kbuild_root/usr/src/linux-headers-$kernel_release
# The flavour's Makefile includes the common headers by absolute path.
sed -i "s|^include /usr/src/|include $kbuild_root/usr/src/|" "$headers/Makefile"

dpkg-deb --fsys-tarfile linux-source-6.1_*.deb \
    | tar -xO ./usr/src/linux-source-6.1.tar.xz | xz -dc \
    | tar -x -C "$kbuild_root" linux-source-6.1/drivers/net/ethernet/rocker
source_dir=$kbuild_root/linux-source-6.1/drivers/net/ethernet/rocker
make -s -C "$headers" M="$source_dir" CONFIG_ROCKER=m CC=gcc-12 modules

mkdir -p "$EXTRA_MODULES_DIR"
cp "$source_dir/rocker.ko" "$EXTRA_MODULES_DIR/rocker.ko"
echo "rocker.ko for $kernel_release ($kernel_version): $EXTRA_MODULES_DIR/rocker.ko"

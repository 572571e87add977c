#!/bin/bash
# Fetches the lab's tools into a private folder without touching the host's apt
# sources: QEMU 10 (bookworm-backports) and a Debian 6.1 guest kernel, both
# unpacked with dpkg-deb -x. Only QEMU's shared-library dependencies are
# installed system-wide (plain bookworm packages), because the binary needs them.
# Usage: fetch.sh            (LAB_WORK and KERNEL_PACKAGE may be set, see lib.sh)
set -euo pipefail
LAB_DIR=$(cd "$(dirname "$0")" && pwd)
source "$LAB_DIR/lib.sh"

mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial" "$DEBS_DIR"
cat > "$APT_DIR/sources.list" <<SOURCES
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-backports main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
SOURCES
private_apt update -qq

kernel_package=${KERNEL_PACKAGE:-$(newest_kernel_package)}
[ -n "$kernel_package" ] || die "no linux-image-6.1.0-N-amd64 package found in the private apt lists"
echo "kernel package: $kernel_package"

cd "$DEBS_DIR"
rm -f ./*.deb
# The release suffix makes apt take the backports build (QEMU 10) instead of bookworm's 7.2.
private_apt download \
    qemu-system-x86/bookworm-backports qemu-system-common/bookworm-backports \
    qemu-system-data/bookworm-backports seabios/bookworm-backports \
    "$kernel_package" busybox-static

qemu_deb=$(ls qemu-system-x86_*.deb)
qemu_version=$(dpkg-deb -f "$qemu_deb" Version)
case "$qemu_version" in
    1:10.*) ;;
    *) die "qemu-system-x86 version is '$qemu_version', expected 1:10.x from bookworm-backports" ;;
esac

# Library dependencies only: the qemu-*, seabios and ipxe packages come from the private folder.
library_deps=$(dpkg-deb -f "$qemu_deb" Depends | tr ',' '\n' | sed -E 's/\(.*\)//; s/\|.*//; s/ //g' \
    | grep -vE '^(qemu-|seabios|ipxe)' | grep -v '^$')
# cpio, kmod (depmod) and xz-utils serve build-initramfs.sh and build-rocker.sh.
# shellcheck disable=SC2086 # one package name per word
apt-get -o DPkg::Lock::Timeout=900 install -y -q --no-install-recommends \
    $library_deps cpio kmod xz-utils >/dev/null

rm -rf "$ROOT_DIR"
mkdir -p "$ROOT_DIR"
for deb in ./*.deb; do
    dpkg-deb -x "$deb" "$ROOT_DIR"
done
"$QEMU" --version | head -1
echo "$kernel_package" > "$ROOT_DIR/KERNEL_PACKAGE"
echo "fetched into $ROOT_DIR"

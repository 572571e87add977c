#!/bin/sh
# shellcheck shell=dash # busybox ash, which has "local" too
# Runs inside the guest (busybox sh). Copies the sysfs/procfs files a NIC/IOMMU
# detector reads into DEST (same layout as under /), keeping sysfs symlinks as
# the relative links they are. Unreadable attributes become empty files, as in
# the first captures. Usage: capture-tree.sh DEST
set -u
DEST=$1

# Device attributes left out: binary or huge (config, resource*, rom), write
# triggers (remove, rescan, reset), and attributes no detector needs.
# Note: reset_subordinate is write-only but kept (empty) like in d1.
SKIPPED_ATTRIBUTES=" uevent config rom remove rescan reset msi_bus broken_parity_status d3cold_allowed power_state ari_enabled label index acpi_index link_mode "

is_skipped() {
    case "$1" in resource|resource[0-9]*|resource*_wc|resource*_resize) return 0 ;; esac
    case "$SKIPPED_ATTRIBUTES" in *" $1 "*) return 0 ;; esac
    return 1
}

# Kept empty when present: an empty /sys/kernel/iommu_groups is a finding.
copy_dir_if_present() {
    if [ -d "$1" ]; then mkdir -p "$DEST$1"; fi
}

copy_link() {
    mkdir -p "$DEST$(dirname "$1")"
    ln -sfn "$(readlink "$1")" "$DEST$1"
}

copy_file() {
    mkdir -p "$DEST$(dirname "$1")"
    cat "$1" > "$DEST$1" 2>/dev/null || true
}

# Files and links of DIR; subdirectories are created empty. With DEPTH 2 the
# files of each subdirectory are copied too (a netdev's statistics/ and power/).
copy_dir() {
    local dir=$1 depth=$2 entry name
    mkdir -p "$DEST$dir"
    for entry in "$dir"/* ; do
        name=${entry##*/}
        if [ -L "$entry" ]; then
            copy_link "$entry"
        elif [ -d "$entry" ]; then
            mkdir -p "$DEST$entry"
            if [ "$depth" -gt 1 ]; then copy_dir "$entry" $((depth - 1)); fi
        elif [ -f "$entry" ]; then
            is_skipped "$name" || copy_file "$entry"
        fi
    done
}

copy_netdevs_under() {
    local netdev
    [ -d "$1/net" ] || return 0
    for netdev in "$1"/net/*; do
        copy_dir "$netdev" 2
    done
}

copy_pci_device() {
    local device=$1 virtio
    copy_dir "$device" 1
    copy_netdevs_under "$device"
    for virtio in "$device"/virtio*; do
        [ -d "$virtio" ] || continue
        copy_dir "$virtio" 1
        copy_netdevs_under "$virtio"
    done
}

for f in /proc/cmdline /proc/interrupts /proc/net/route; do
    copy_file "$f"
done

for table in DMAR IVRS; do
    if [ -e "/sys/firmware/acpi/tables/$table" ]; then copy_file "/sys/firmware/acpi/tables/$table"; fi
done

for chip in /sys/kernel/irq/*/chip_name; do
    copy_file "$chip"
done

copy_dir_if_present /sys/kernel/iommu_groups
for group in /sys/kernel/iommu_groups/*; do
    [ -d "$group" ] || continue
    copy_dir "$group" 2
done

copy_dir_if_present /sys/class/iommu
for unit in /sys/class/iommu/*; do
    [ -L "$unit" ] || continue
    copy_link "$unit"
    # Intel units live under devices/virtual, AMD ones under their PCI function.
    unit_dir=$(cd "$unit" && pwd -P)
    if [ -d "$unit_dir" ]; then copy_dir "$unit_dir" 2; fi
done

copy_dir_if_present /sys/class/net
for netdev in /sys/class/net/*; do
    copy_link "$netdev"
done
for netdev in /sys/devices/virtual/net/*; do
    if [ -d "$netdev" ]; then copy_dir "$netdev" 1; fi
done

copy_dir_if_present /sys/bus/pci/devices
for link in /sys/bus/pci/devices/*; do
    copy_link "$link"
    copy_pci_device "$(cd "$link" && pwd -P)"
done
for driver in /sys/bus/pci/drivers/*; do
    mkdir -p "$DEST$driver"
    for bound in "$driver"/????:??:??.?; do
        if [ -L "$bound" ]; then copy_link "$bound"; fi
    done
done

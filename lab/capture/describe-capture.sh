#!/bin/bash
# Prints the facts of a capture that a detector test can assert: kernel
# cmdline, default-route NIC, ACPI IOMMU tables and the DMAR flags byte, IOMMU
# units and groups, interrupt chips, and one line per PCI function (class,
# ids, driver, netdevs, group, SR-IOV) and per netdev.
# Usage: describe-capture.sh NAME.tar.gz
set -euo pipefail
if [ $# -ne 1 ] || [ ! -f "$1" ]; then
    echo "usage: describe-capture.sh NAME.tar.gz (got: $*)" >&2
    exit 2
fi
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
tar -xzf "$1" -C "$tree"
cd "$tree"

link_name() {
    if [ -L "$1" ]; then basename "$(readlink "$1")"; else echo -; fi
}
# names_below DIR [FIND TESTS]: names of the entries below DIR, sorted, on one line.
names_below() {
    local dir=$1
    shift
    find "$dir" -mindepth 1 "$@" -printf '%f\n' | sort -V | tr '\n' ' ' | sed 's/ $//'
}

echo "cmdline: $(cat proc/cmdline)"
awk 'NR > 1 && $2 == "00000000" { print "default route: " $1 }' proc/net/route
for table in sys/firmware/acpi/tables/*; do
    [ -f "$table" ] && echo "ACPI table: ${table##*/} ($(stat -c %s "$table") bytes)"
done
if [ -f sys/firmware/acpi/tables/DMAR ]; then
    echo "DMAR flags byte: 0x$(od -An -tx1 -j37 -N1 sys/firmware/acpi/tables/DMAR | tr -d ' ')"
fi
for unit in sys/class/iommu/*; do
    [ -L "$unit" ] && echo "IOMMU unit: ${unit##*/} -> $(readlink "$unit")"
done
if [ -d sys/kernel/iommu_groups ]; then
    for group in $(names_below sys/kernel/iommu_groups -maxdepth 1); do
        echo "IOMMU group $group: $(names_below "sys/kernel/iommu_groups/$group/devices")"
    done
fi
echo "interrupt chips: $(cat sys/kernel/irq/*/chip_name | sort | uniq -c | awk '{printf "%s x%s  ", $2, $1}')"
for link in sys/bus/pci/devices/*; do
    device=sys/bus/pci/devices/$(readlink "$link")
    # A netdev sits in the function's net/ or, for virtio, in its virtioN/net/.
    netdevs=$(names_below "$device" -maxdepth 3 \( -path "$device/net/*" -o -path "$device/virtio*/net/*" \) -prune)
    line="${link##*/} class $(cat "$device/class") $(cat "$device/vendor"):$(cat "$device/device")"
    line+=" driver $(link_name "$device/driver") group $(link_name "$device/iommu_group") netdevs [$netdevs]"
    if [ -f "$device/sriov_totalvfs" ]; then
        line+=" sriov_totalvfs $(cat "$device/sriov_totalvfs") sriov_numvfs $(cat "$device/sriov_numvfs")"
        line+=" virtfn [$(find "$device" -maxdepth 1 -name 'virtfn*' -printf '%l\n' | xargs -r -n1 basename | sort | tr '\n' ' ' | sed 's/ $//')]"
    fi
    if [ -L "$device/physfn" ]; then line+=" physfn $(link_name "$device/physfn")"; fi
    echo "$line"
done
for netdev in sys/class/net/*; do
    echo "netdev ${netdev##*/}: $(cat "$netdev/operstate") address $(cat "$netdev/address") dev_port $(cat "$netdev/dev_port") phys_port_name '$(cat "$netdev/phys_port_name" 2>/dev/null)' -> $(readlink "$netdev")"
done

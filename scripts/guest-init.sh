#!/bin/sh
# /init (PID 1) of the nio-virt test guest, run by busybox sh from the initramfs
# that scripts/build-guest-image.sh builds.
# It loads the NIC drivers, reports every NIC on the console in a fixed format
# that tests parse, and powers the guest off:
#   nio-virt-guest: boot kernel=<uname -r>
#   nio-virt-guest: module-error file=<name>.ko        (only when insmod failed)
#   nio-virt-guest: nic-timeout expected=<n> found=<m>  (only when niovirt.nics=<n> was not reached)
#   nio-virt-guest: nic=<if> driver=<driver> mac=<mac> pci=<dddd:bb:ss.f> pci_id=<vvvv:dddd> rx_queues=<n> tx_queues=<n>
#   nio-virt-guest: lower=<if> upper=<if>   (a NIC enslaved to another, e.g. by net_failover)
#   nio-virt-guest: done
# Kernel parameter niovirt.nics=<n> makes it wait (up to niovirt.nicwait=<s>, default 60 s) for n
# NICs; without it, it waits until the NIC count has been stable for 2 s (10 s at most).
# With niovirt.watch=<s> it stays up <s> seconds after "done": whenever its NICs change (a device
# unplugged), it prints "nio-virt-guest: changed" and the whole report again, "done" included.
export PATH=/bin

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

report() {
    echo "nio-virt-guest: $*"
}

report "boot kernel=$(uname -r)"

# The list is in dependency order (the builder resolved modinfo's depends=).
while read -r module_file; do
    insmod "/lib/modules/$module_file" || report "module-error file=$module_file"
done </etc/nio-virt/modules

count_nics() {
    nic_count=0
    for netdev in /sys/class/net/*; do
        # Only NICs backed by a device: skips lo and any virtual interface.
        [ -e "$netdev/device" ] && nic_count=$((nic_count + 1))
    done
    echo "$nic_count"
}

expected_nics=""
nic_wait_seconds=60
watch_seconds=0
# /proc/cmdline is one line of words, split on purpose.
# shellcheck disable=SC2013
for kernel_arg in $(cat /proc/cmdline); do
    case "$kernel_arg" in
        niovirt.nics=*) expected_nics="${kernel_arg#niovirt.nics=}" ;;
        niovirt.nicwait=*) nic_wait_seconds="${kernel_arg#niovirt.nicwait=}" ;;
        niovirt.watch=*) watch_seconds="${kernel_arg#niovirt.watch=}" ;;
    esac
done

# Polls every 0.2 s; a probe under TCG can take seconds per device.
if [ -n "$expected_nics" ]; then
    polls_left=$((nic_wait_seconds * 5))
    while [ "$(count_nics)" -lt "$expected_nics" ] && [ "$polls_left" -gt 0 ]; do
        sleep 0.2
        polls_left=$((polls_left - 1))
    done
    found_nics=$(count_nics)
    [ "$found_nics" -ge "$expected_nics" ] || report "nic-timeout expected=$expected_nics found=$found_nics"
else
    polls_left=50
    stable_polls=0
    last_count=-1
    while [ "$stable_polls" -lt 10 ] && [ "$polls_left" -gt 0 ]; do
        current_count=$(count_nics)
        if [ "$current_count" -eq "$last_count" ] && [ "$current_count" -gt 0 ]; then
            stable_polls=$((stable_polls + 1))
        else
            stable_polls=0
        fi
        last_count=$current_count
        sleep 0.2
        polls_left=$((polls_left - 1))
    done
fi

# Kernel messages would otherwise interleave with the report lines on the serial port.
echo 1 >/proc/sys/kernel/printk

count_queues() {
    queue_count=0
    for queue in "$1"/queues/"$2"-*; do
        [ -e "$queue" ] && queue_count=$((queue_count + 1))
    done
    echo "$queue_count"
}

report_nics() {
    for netdev in /sys/class/net/*; do
        [ -e "$netdev/device" ] || continue
        device=$(readlink -f "$netdev/device")
        driver=$(basename "$(readlink -f "$device/driver")")
        # A virtio NIC's netdev hangs off virtioN, whose parent is the PCI function.
        if [ "$(basename "$(readlink -f "$device/subsystem")")" = pci ]; then
            pci_function=$device
        else
            pci_function=$(dirname "$device")
        fi
        vendor_id=$(cat "$pci_function/vendor")
        device_id=$(cat "$pci_function/device")
        report "nic=$(basename "$netdev") driver=$driver mac=$(cat "$netdev/address")" \
            "pci=$(basename "$pci_function") pci_id=${vendor_id#0x}:${device_id#0x}" \
            "rx_queues=$(count_queues "$netdev" rx) tx_queues=$(count_queues "$netdev" tx)"
    done
    for netdev in /sys/class/net/*; do
        [ -e "$netdev/master" ] && report "lower=$(basename "$netdev") upper=$(basename "$(readlink -f "$netdev/master")")"
    done
    report "done"
}

# What the report depends on: the NICs and who enslaves them.
nic_signature() {
    for netdev in /sys/class/net/*; do
        [ -e "$netdev/device" ] || continue
        echo "$(basename "$netdev") $(basename "$(readlink -f "$netdev/master" 2>/dev/null)")"
    done
}

report_nics
if [ "$watch_seconds" -gt 0 ]; then
    last_signature=$(nic_signature)
    watch_polls=$((watch_seconds * 2))
    while [ "$watch_polls" -gt 0 ]; do
        sleep 0.5
        watch_polls=$((watch_polls - 1))
        signature=$(nic_signature)
        if [ "$signature" != "$last_signature" ]; then
            # Let the unplug settle (the bond drops its lower device right after the device goes).
            sleep 2
            signature=$(nic_signature)
            last_signature=$signature
            report "changed"
            report_nics
        fi
    done
fi
sync
poweroff -f
# poweroff -f only fails without ACPI; the sysrq path powers off (or halts) anyway.
echo o >/proc/sysrq-trigger
sleep 3600

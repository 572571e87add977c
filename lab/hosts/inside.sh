#!/bin/bash
# Runs inside an emulated lab host (chroot of the outer machine's root, see host-init): nio-virt's
# snapshot, inventory and plan on this kernel, then one nested guest per technology the profile
# names, launched by nio-virt through this host's own libvirtd. Results go to /mnt/out; the lines
# printed here reach the outer machine through the kernel console.
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
readonly REPO=/mnt/repo OUT=/mnt/out
readonly GUEST_IMAGE=${NIOVIRT_GUEST_CACHE:-/var/cache/nio-virt/guest}
source "$REPO/lab/hosts/profile.sh"

profile_name=$(sed -n 's/.*lab\.profile=\([A-Za-z0-9_.-]*\).*/\1/p' /proc/cmdline)
readonly PROFILE=$REPO/lab/hosts/profiles/$profile_name.properties
readonly TAG="lab $profile_name"

log() { echo "$TAG: $*"; }
finish() {
    dmesg > "$OUT/host-dmesg.txt" 2>&1
    echo "$1" > "$OUT/result"
    log "result: $1"
    exit 0
}
[ -f "$PROFILE" ] || { log "no profile '$profile_name'"; finish failed; }
value() { profile_value "$PROFILE" "$1"; }

export HOME=/root
built_jar=$(ls "$REPO"/nio-virt-cli/target/nio-virt-cli-*-all.jar 2>/dev/null | head -1)
[ -n "$built_jar" ] || { log "no launcher jar under $REPO/nio-virt-cli/target (build it first)"; finish failed; }
# Under TCG every JVM start costs seconds: the jar is read from tmpfs, not 9p, and the classes the
# first run loads are archived (CDS) for the later runs.
readonly JAR=/tmp/nio-virt.jar CLASS_ARCHIVE=/tmp/nio-virt.jsa
cp "$built_jar" "$JAR"
nio_virt() {
    local cds=-XX:ArchiveClassesAtExit=$CLASS_ARCHIVE
    [ -f "$CLASS_ARCHIVE" ] && cds=-XX:SharedArchiveFile=$CLASS_ARCHIVE
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xlog:cds=off -Xlog:cds+dynamic=off "$cds" \
        -jar "$JAR" "$@"
}

# step NAME COMMAND...: runs the command, logs its time; a failing step fails the host.
step() {
    local name=$1 started=$SECONDS
    shift
    log "step $name ..."
    if "$@"; then
        log "step $name: ok in $((SECONDS - started)) s"
        echo -e "$name\t$((SECONDS - started))\tok" >> "$OUT/steps.tsv"
    else
        local status=$?
        log "step $name: FAILED (exit $status) after $((SECONDS - started)) s"
        echo -e "$name\t$((SECONDS - started))\tfailed" >> "$OUT/steps.tsv"
        finish failed
    fi
}
show() { sed "s/^/$TAG | /" "$1"; }

detect() {
    nio_virt snapshot --output "$OUT/snapshot.tar.gz" \
        && nio_virt inventory --format json > "$OUT/inventory.json" \
        && nio_virt inventory > "$OUT/inventory.txt" && show "$OUT/inventory.txt"
}
plan() {
    nio_virt plan --format json > "$OUT/plan.json" \
        && nio_virt plan > "$OUT/plan.txt" && show "$OUT/plan.txt"
}

start_libvirtd() {
    # The emulated host has no cgroup controllers or namespaces to give; QEMU runs as root so it
    # can open /dev/vfio/<group> and the guest image.
    cat >> /etc/libvirt/qemu.conf <<'CONF'
user = "root"
group = "root"
namespaces = [ ]
cgroup_controllers = [ ]
security_driver = "none"
CONF
    rm -f /etc/libvirt/qemu/networks/autostart/*.xml
    mkdir -p /var/log/libvirt/qemu /var/log/nio-virt /run/libvirt
    virtlogd -d && libvirtd -d || return 1
    local waited=0
    until virsh -c qemu:///system version >/dev/null 2>&1; do
        ((waited++ < 60)) || return 1
        sleep 1
    done
}

# launch_nested TECH: launches guest lab-TECH pinned to TECH (the profile's nested.TECH.* keys).
launch_nested() {
    local tech=$1 name=lab-$1
    local guest_nics
    guest_nics=$(value "nested.$tech.drivers" | wc -w)
    # One requested NIC by default; VT-d of a multi-port card gives the guest all its ports.
    local args=(launch --connect qemu:///system --accel qemu --name "$name" --pin "$tech"
        --memory 256 --nics "$(value "nested.$tech.nics" | grep . || echo 1)"
        --serial-log "/var/log/nio-virt/$name.console"
        --kernel "$GUEST_IMAGE/vmlinuz" --initrd "$GUEST_IMAGE/initramfs.gz"
        --cmdline "console=ttyS0 panic=-1 niovirt.nics=$guest_nics $(value "nested.$tech.cmdline" | grep . || echo quiet)")
    local host_device mac vlan
    host_device=$(value "nested.$tech.hostDevice")
    mac=$(value "nested.$tech.mac")
    vlan=$(value "nested.$tech.vlan")
    [ -n "$host_device" ] && args+=(--host-device "$host_device")
    [ -n "$mac" ] && args+=(--mac "$mac")
    [ -n "$vlan" ] && args+=(--vlan "$vlan")
    [ "$tech" = virtio ] && args+=(--user-net)
    nio_virt "${args[@]}" > "$OUT/nested-$tech.launch.txt" 2>&1
    local status=$?
    show "$OUT/nested-$tech.launch.txt"
    [ $status -eq 0 ] || return $status
    virsh -c qemu:///system dumpxml "$name" > "$OUT/nested-$tech.xml"
    # What the PF driver was told for its VFs (MAC, VLAN), as the kernel reports it.
    if [ "$tech" = sriov ] && [ -n "$host_device" ]; then
        local pf_netdev
        pf_netdev=$(ls "/sys/bus/pci/devices/$host_device/net" | head -1)
        ip link show dev "$pf_netdev" > "$OUT/nested-sriov.pf-link.txt"
        show "$OUT/nested-sriov.pf-link.txt"
    fi
}

# wait_for_report TECH: waits until guest lab-TECH has printed its report (TCG inside TCG: a few
# minutes), then keeps its console. One guest at a time: nested TCG guests side by side are slower
# in total (each one's code generation invalidates the outer QEMU's translations).
wait_for_report() {
    local tech=$1 started=$SECONDS
    local console=/var/log/nio-virt/lab-$tech.console
    until grep -q '^nio-virt-guest: done' "$console" 2>/dev/null; do
        if ((SECONDS - started > 900)); then
            log "lab-$tech: no report after $((SECONDS - started)) s"
            break
        fi
        sleep 5
    done
    tr -d '\r' < "$console" > "$OUT/nested-$tech.console"
    grep '^nio-virt-guest:' "$OUT/nested-$tech.console" | sed "s/^/$TAG lab-$tech console | /"
    grep -q '^nio-virt-guest: done' "$OUT/nested-$tech.console"
}

# destroy_nested TECH: power off and undefine through nio-virt, which frees the devices.
destroy_nested() {
    nio_virt destroy --connect qemu:///system "lab-$1"
}

# --- Issue 17: a failover pair (a function passed through whole + a virtio standby, one MAC) ---
# launch_failover: guest lab-failover must live-migrate and is pinned to vtd, so nio-virt pairs the
# profile's function (the transient primary) with a virtio standby; the guest stays up (watch) so
# the primary can be unplugged while it runs.
launch_failover() {
    local name=lab-failover
    nio_virt launch --connect qemu:///system --accel qemu --name "$name" --pin vtd --live-migration \
        --host-device "$(value failover.hostDevice)" --user-net --memory 256 \
        --serial-log "/var/log/nio-virt/$name.console" \
        --kernel "$GUEST_IMAGE/vmlinuz" --initrd "$GUEST_IMAGE/initramfs.gz" \
        --cmdline "console=ttyS0 panic=-1 niovirt.nics=3 niovirt.nicwait=300 niovirt.watch=900 quiet" \
        > "$OUT/nested-failover.launch.txt" 2>&1
    local status=$?
    show "$OUT/nested-failover.launch.txt"
    [ $status -eq 0 ] || return $status
    virsh -c qemu:///system dumpxml "$name" > "$OUT/nested-failover.xml"
}

# detach_primary: unplugs the primary as a migration would (libvirt's own <hostdev> element of the
# running domain), then waits for the guest to report its NICs again.
detach_primary() {
    local name=lab-failover console=/var/log/nio-virt/lab-failover.console started=$SECONDS
    sed -n '/<hostdev /,/<\/hostdev>/p' "$OUT/nested-failover.xml" > "$OUT/failover-primary.xml"
    [ -s "$OUT/failover-primary.xml" ] || { log "failover: no <hostdev> in the domain"; return 1; }
    virsh -c qemu:///system detach-device "$name" "$OUT/failover-primary.xml" --live || return 1
    until tr -d '\r' < "$console" | sed -n '/^nio-virt-guest: changed/,$p' | grep -q '^nio-virt-guest: done'; do
        if ((SECONDS - started > 600)); then
            log "lab-failover: no report after the detach in $((SECONDS - started)) s"
            break
        fi
        sleep 5
    done
    virsh -c qemu:///system dumpxml "$name" > "$OUT/nested-failover.after-detach.xml"
    tr -d '\r' < "$console" > "$OUT/nested-failover.console"
    sed -n '/^nio-virt-guest: changed/,$p' "$OUT/nested-failover.console" | grep '^nio-virt-guest:' \
        | sed "s/^/$TAG lab-failover console after detach | /"
    sed -n '/^nio-virt-guest: changed/,$p' "$OUT/nested-failover.console" | grep -q '^nio-virt-guest: done'
}

# --- Issue 14: VF hygiene, persistence and a reboot (profiles with hygiene.orphanMac / reboot) ---
pf_netdev_of() { ls "/sys/bus/pci/devices/$1/net" | head -1; }

# orphan_vf: two VFs made by hand, VF 1 given a MAC by hand as another tool would leave it; the
# planner must refuse that MAC and host check must call VF 1 orphaned.
orphan_vf() {
    local pf mac netdev
    pf=$(value nested.sriov.hostDevice)
    mac=$(value hygiene.orphanMac)
    netdev=$(pf_netdev_of "$pf")
    echo 2 > "/sys/bus/pci/devices/$pf/sriov_numvfs" && ip link set dev "$netdev" up \
        && ip link set dev "$netdev" vf 1 mac "$mac" || return 1
    ip link show dev "$netdev" > "$OUT/orphan-pf-link.txt"
    show "$OUT/orphan-pf-link.txt"
    # Expected to fail: the MAC is VF 1's administrative MAC.
    if nio_virt plan --name lab-orphan --pin sriov --mac "$mac" > "$OUT/orphan-plan.txt" 2>&1; then
        log "the planner accepted the orphaned MAC $mac"
        return 1
    fi
    show "$OUT/orphan-plan.txt"
    nio_virt host check --connect qemu:///system > "$OUT/orphan-check.txt" 2>&1
    show "$OUT/orphan-check.txt"
    grep -q orphaned "$OUT/orphan-check.txt"
}

# persist_and_shut_off: with lab-sriov defined (the test guest powers itself off after its report),
# snapshot the VFs (admin state included), clear the orphan with host repair, persist the boot unit,
# make sure the guest is shut off (it stays defined) and carry its definition and the unit to the
# second boot.
persist_and_shut_off() {
    local pf netdev
    pf=$(value nested.sriov.hostDevice)
    netdev=$(pf_netdev_of "$pf")
    ip -j link show > "$OUT/ip-link-vfs.json"
    nio_virt snapshot --output "$OUT/snapshot-vfs.tar.gz" || return 1
    nio_virt host repair --connect qemu:///system > "$OUT/repair.txt" 2>&1
    show "$OUT/repair.txt"
    ip link show dev "$netdev" > "$OUT/repair-pf-link.txt"
    show "$OUT/repair-pf-link.txt"
    nio_virt host persist --connect qemu:///system --dry-run > "$OUT/persist-dry-run.txt" || return 1
    mkdir -p "$OUT/carry/qemu"
    nio_virt host persist --connect qemu:///system --unit-file "$OUT/carry/nio-virt-sriov.service" \
        > "$OUT/persist.txt" 2>&1 || return 1
    show "$OUT/persist.txt"
    # The test guest powers itself off after its report: libvirt then already gave the VF back.
    if [ "$(virsh -c qemu:///system domstate lab-sriov)" != "shut off" ]; then
        virsh -c qemu:///system destroy lab-sriov >/dev/null || return 1
    fi
    cp /etc/libvirt/qemu/lab-sriov.xml "$OUT/carry/qemu/" || return 1
    [ -d /var/lib/nio-virt ] && cp -a /var/lib/nio-virt "$OUT/carry/state"
    true
}

# boot_unit: what systemd would do before libvirtd: restore what the first boot carried over (the
# defined domain, nio-virt's state) and run the unit's ExecStart lines, unescaped as systemd does.
boot_unit() {
    local carry=$OUT/carry unit=$OUT/carry/nio-virt-sriov.service line pf
    [ -f "$unit" ] || { log "no boot unit carried over"; return 1; }
    mkdir -p /etc/libvirt/qemu /var/lib/nio-virt
    cp "$carry"/qemu/*.xml /etc/libvirt/qemu/ || return 1
    [ -d "$carry/state" ] && cp -a "$carry/state/." /var/lib/nio-virt/
    # A file, not process substitution: this init has no /dev/fd.
    grep '^ExecStart=' "$unit" > /tmp/unit-commands || { log "the unit has no ExecStart"; return 1; }
    while IFS= read -r line; do
        line=${line#ExecStart=}
        line=${line//\$\$/\$}
        line=${line//%%/%}
        log "unit: $line"
        /bin/sh -c "$line" || { log "unit command failed: $line"; return 1; }
    done < /tmp/unit-commands
    pf=$(value nested.sriov.hostDevice)
    for vf in /sys/bus/pci/devices/$pf/virtfn*; do
        [ -e "$vf" ] && basename "$(readlink "$vf")"
    done > "$OUT/vfs-before-libvirtd.txt"
    log "before libvirtd: VFs of $pf: $(tr '\n' ' ' < "$OUT/vfs-before-libvirtd.txt")"
    [ -s "$OUT/vfs-before-libvirtd.txt" ]
}

# start_after_reboot: the guest defined before the reboot starts on its VF.
start_after_reboot() {
    nio_virt host check --connect qemu:///system > "$OUT/check-after-reboot.txt" 2>&1
    show "$OUT/check-after-reboot.txt"
    virsh -c qemu:///system start lab-sriov || return 1
    virsh -c qemu:///system dumpxml lab-sriov > "$OUT/after-reboot.xml"
    local state vf
    state=$(virsh -c qemu:///system domstate lab-sriov)
    # The VF as libvirt holds it: <source><address type='pci' domain='0x0000' bus='0x01' .../>.
    vf=$(sed -n "/<source>/,/<\/source>/p" "$OUT/after-reboot.xml" | grep -o "<address [^>]*>" | head -1 \
        | sed "s/.*domain='0x\([0-9a-f]*\)' bus='0x\([0-9a-f]*\)' slot='0x\([0-9a-f]*\)' function='0x\([0-9a-f]*\)'.*/\1:\2:\3.\4/")
    echo "lab: $profile_name: after reboot: lab-sriov $state on VF $vf" | tee "$OUT/after-reboot.txt"
    [ "$state" = running ] && [ -n "$vf" ]
}

release_after_reboot() {
    local netdev
    netdev=$(pf_netdev_of "$(value nested.sriov.hostDevice)")
    destroy_nested sriov || return 1
    ip link show dev "$netdev" > "$OUT/release-pf-link.txt"
    show "$OUT/release-pf-link.txt"
}

# fleet_host: sshd for the outer machine (QEMU forwards a port of its 127.0.0.1 to this host's
# management NIC), then waits while the outer machine plans a guest over a fleet of {itself, this
# host} and launches it here over SSH; it writes fleet-done (ok or failed) into the out share.
fleet_host() {
    [ -f "$OUT/authorized_keys" ] || { log "fleet: no authorized_keys from outside"; return 1; }
    mkdir -p /run/sshd
    cp "$OUT/authorized_keys" /tmp/authorized_keys
    cat > /tmp/sshd_config <<'CONF'
Port 22
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile /tmp/authorized_keys
StrictModes no
UsePAM no
Subsystem sftp internal-sftp
PidFile /run/sshd-lab.pid
CONF
    /usr/sbin/sshd -f /tmp/sshd_config || return 1
    touch "$OUT/fleet-ready"
    log "fleet: ready"
    local waited=0
    until [ -f "$OUT/fleet-done" ]; do
        ((waited++ < 900)) || { log "fleet: nothing launched from outside after 900 s"; return 1; }
        sleep 1
    done
    log "fleet: outside says $(cat "$OUT/fleet-done")"
    grep -q '^ok' "$OUT/fleet-done"
}

list_domains() {
    nio_virt list --connect qemu:///system > "$OUT/list.txt" && show "$OUT/list.txt"
}

phase=$(sed -n 's/.*lab\.phase=\([a-z-]*\).*/\1/p' /proc/cmdline)
log "profile $profile_name: $(value description)${phase:+ (phase $phase)}"
if [ "$phase" = after-reboot ]; then
    # The same emulated machine booted again with what the first boot carried over: the unit's
    # commands run before libvirtd, as systemd would order them.
    step boot-unit boot_unit
    step libvirtd start_libvirtd
    step start-after-reboot start_after_reboot
    step release release_after_reboot
    step list list_domains
    finish ok
fi
step java java -version
step detect detect
step plan plan
technologies=$(value nested)
reboot=$(value reboot)
if [ -n "$technologies" ] || [ -n "$(value failover.hostDevice)" ]; then
    step libvirtd start_libvirtd
    # Before the SR-IOV guest: that one leaves VFs held, and a PF with held VFs cannot go whole.
    if [ -n "$(value failover.hostDevice)" ]; then
        step launch-failover launch_failover
        step boot-failover wait_for_report failover
        step detach-failover detach_primary
        step destroy-failover destroy_nested failover
    fi
    for tech in $technologies; do
        if [ "$tech" = sriov ] && [ -n "$(value hygiene.orphanMac)" ]; then
            step orphan orphan_vf
        fi
        step "launch-$tech" launch_nested "$tech"
        step "boot-$tech" wait_for_report "$tech"
        if [ "$tech" = sriov ] && [ "$reboot" = true ]; then
            step persist persist_and_shut_off
        else
            step "destroy-$tech" destroy_nested "$tech"
        fi
    done
    if [ "$(value fleet)" = true ]; then
        step fleet fleet_host
        step boot-fleet wait_for_report fleet
        step destroy-fleet destroy_nested fleet
    fi
    [ "$reboot" = true ] || step list list_domains
fi
finish ok

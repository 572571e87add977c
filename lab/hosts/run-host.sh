#!/bin/bash
# Boots one emulated lab host (profiles/NAME.properties) under QEMU 10 TCG and runs nio-virt in it
# (inside.sh): results in OUT_DIR/NAME. The console (the host's kernel log and inside.sh's lines)
# goes to stdout as it comes. Run prepare.sh first (lab.sh does).
# Usage: run-host.sh NAME
#   OUT_DIR               default: $LAB_WORK/hosts-out
#   LAB_SSH_PORT          forward 127.0.0.1:PORT here to the host's sshd (its management NIC), for
#                         the fleet case; LAB_SSH_KEY: the public key it lets log in as root
#   LAB_PHASE             after-reboot: boot the same emulated machine again with what the first
#                         boot carried over (OUT_DIR/NAME/carry: defined domain, boot unit);
#                         results in OUT_DIR/NAME-after-reboot
#   HOST_TIMEOUT_SECONDS  default: the profile's timeout.seconds, else 1500
# Exit status 0 when inside.sh reported "ok"; the assertions live in the lab's Maven tests.
set -euo pipefail
HOSTS_DIR=$(cd "$(dirname "$0")" && pwd)
REPO_DIR=$(cd "$HOSTS_DIR/../.." && pwd)
source "$HOSTS_DIR/../capture/lib.sh"
source "$HOSTS_DIR/profile.sh"
OUT_DIR=${OUT_DIR:-$LAB_WORK/hosts-out}
HOST_INITRAMFS=$LAB_WORK/host-initramfs.cpio.gz

[ $# -eq 1 ] || die "usage: run-host.sh NAME (profiles: $(cd "$HOSTS_DIR/profiles" && ls | sed 's/\.properties$//' | tr '\n' ' '))"
name=$1
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || die "profile name '$name': letters, digits, '_', '.', '-' only"
profile=$HOSTS_DIR/profiles/$name.properties
[ -f "$profile" ] || die "no profile $profile"
[ -f "$HOST_INITRAMFS" ] || die "run lab/hosts/prepare.sh first ($HOST_INITRAMFS is missing)"

value() { profile_value "$profile" "$1"; }
timeout_key=timeout.seconds
[ "${LAB_PHASE:-first}" = after-reboot ] && timeout_key=reboot.timeout.seconds
HOST_TIMEOUT_SECONDS=${HOST_TIMEOUT_SECONDS:-$(value "$timeout_key" | grep . || echo 1500)}
[[ "$HOST_TIMEOUT_SECONDS" =~ ^[1-9][0-9]*$ ]] \
    || die "profile $name: timeout.seconds = '$HOST_TIMEOUT_SECONDS', expected a whole number of seconds"

DEVICE_ARGS=()
# Without IPv6, QEMU's user network sends no router advertisements: an interface nio-virt brings up
# gets no default route and so does not become a second management NIC.
# shellcheck disable=SC2034 # read by nic() of lib.sh
NETDEV_OPTIONS=ipv6=off
case "$(value iommu)" in
    intel) DEVICE_ARGS+=(-device "intel-iommu,intremap=$(value intremap),caching-mode=on") ;;
    # QEMU puts AMD-Vi's PCI function in the first free slot: 00:02.0 stays free for it.
    amd) DEVICE_ARGS+=(-device amd-iommu) ;;
    none) ;;
    *) die "profile $name: iommu = '$(value iommu)', expected intel, amd or none" ;;
esac
# 00:03.0 management NIC (eth0); cards behind root ports 00:04.0, 00:05.0, ... (buses 01, 02, ...).
mgmt_options=$NETDEV_OPTIONS
if [ -n "${LAB_SSH_PORT:-}" ]; then
    [[ "$LAB_SSH_PORT" =~ ^[1-9][0-9]{0,4}$ ]] || die "LAB_SSH_PORT='$LAB_SSH_PORT', expected a port number"
    mgmt_options+=",hostfwd=tcp:127.0.0.1:$LAB_SSH_PORT-:22"
fi
NETDEV_OPTIONS=$mgmt_options nic virtio-net-pci mgmt 52:54:00:4c:00:01 addr=03.0
card_number=0
for card in $(value cards); do
    card_number=$((card_number + 1))
    port=rp$card_number
    root_port "$port" "$(printf '%02x.0' $((3 + card_number)))"
    mac_prefix=52:54:00:4c:$(printf '%02x' "$card_number")
    case "$card" in
        igb) nic igb "n${card_number}" "$mac_prefix:00" "bus=$port" ;;
        e1000e) nic e1000e "n${card_number}" "$mac_prefix:00" "bus=$port" ;;
        e1000e-dual | e1000e-quad)
            ports=2; [ "$card" = e1000e-quad ] && ports=4
            nic e1000e "n${card_number}p0" "$mac_prefix:00" "bus=$port,addr=00.0,multifunction=on"
            for ((function = 1; function < ports; function++)); do
                nic e1000e "n${card_number}p$function" "$mac_prefix:0$function" "bus=$port,addr=00.$function"
            done ;;
        *) die "profile $name: card '$card', expected igb, e1000e, e1000e-dual or e1000e-quad" ;;
    esac
done

phase=${LAB_PHASE:-first}
case "$phase" in
    first) out=$OUT_DIR/$name ;;
    after-reboot)
        out=$OUT_DIR/$name-after-reboot
        [ -d "$OUT_DIR/$name/carry" ] || die "$name: nothing carried over from the first boot ($OUT_DIR/$name/carry)" ;;
    *) die "LAB_PHASE='$phase', expected first or after-reboot" ;;
esac
rm -rf "$out"
mkdir -p "$out"
[ "$phase" = first ] || cp -a "$OUT_DIR/$name/carry" "$out/carry"
if [ -n "${LAB_SSH_KEY:-}" ]; then
    cp "$LAB_SSH_KEY" "$out/authorized_keys" || die "cannot read LAB_SSH_KEY=$LAB_SSH_KEY"
fi
started=$SECONDS
echo "run-host: $name: $(value description), $phase boot (time limit $HOST_TIMEOUT_SECONDS s)"
status=0
# hostroot: this machine's root, read-only; the host runs its JVM, libvirtd and QEMU from it.
timeout --foreground "$HOST_TIMEOUT_SECONDS" "$QEMU" \
    -L "$ROOT_DIR/usr/share/qemu" -L "$ROOT_DIR/usr/share/seabios" \
    -accel tcg -machine q35,kernel-irqchip=split -cpu max -smp 2 -m 3072 \
    -display none -vga none -serial stdio -monitor none -no-reboot \
    -kernel "$LAB_WORK/vmlinuz" -initrd "$HOST_INITRAMFS" \
    -append "console=ttyS0 quiet panic=-1 printk.devkmsg=on lab.profile=$name lab.phase=$phase $(value kernel.cmdline)" \
    -fsdev "local,id=hostroot,path=/,security_model=none,readonly=on" \
    -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot,addr=08.0 \
    -fsdev "local,id=repo,path=$REPO_DIR,security_model=none,readonly=on" \
    -device virtio-9p-pci,fsdev=repo,mount_tag=repo,addr=09.0 \
    -fsdev "local,id=out,path=$out,security_model=none" \
    -device virtio-9p-pci,fsdev=out,mount_tag=out,addr=0a.0 \
    "${DEVICE_ARGS[@]}" </dev/null || status=$?
if [ $status -eq 124 ]; then
    echo "run-host: $name: stopped after the time limit of $HOST_TIMEOUT_SECONDS s (steps done: $(cut -f1,2 "$out/steps.tsv" 2>/dev/null | tr '\t\n' '= ' || true))"
elif [ $status -ne 0 ]; then
    echo "run-host: $name: QEMU ended with status $status"
fi
result=$(cat "$out/result" 2>/dev/null || echo "none")
echo "run-host: $name: result $result in $((SECONDS - started)) s (files in $out)"
[ "$result" = ok ]

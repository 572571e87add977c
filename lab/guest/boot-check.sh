#!/usr/bin/env bash
# Proves by hand that the test guest boots under a real libvirtd: builds the
# guest image (scripts/build-guest-image.sh), starts libvirtd
# (scripts/start-libvirtd.sh), defines and starts a TCG domain (type='qemu')
# with direct kernel boot, one virtio NIC with a fixed MAC and the serial port
# written to a file, waits for "nio-virt-guest: done" on that console, prints
# the guest's NIC lines, then destroys and undefines the domain.
#
# Usage: lab/guest/boot-check.sh [--user-net] [--driver vhost|qemu] [--queues N]
#                                [--vcpus N] [--mac MAC] [--timeout SECONDS] [--expect-nics N]
#   --user-net    <interface type='user'> instead of the libvirt network "default"
#                 (also chosen when that network cannot start here)
#   --driver      adds <driver name='...'/> to the interface
#   --queues N    adds queues='N' to that <driver>
#   --expect-nics N  tells the guest to wait for N NICs (niovirt.nics=N); it has
#                 one, so N > 1 makes the guest report nic-timeout and the check fail
# Exit status 0 only when the guest reported one virtio_net NIC with the MAC given
# and no module-error or nic-timeout line.
#
# Environment: NIOVIRT_GUEST_CACHE (see build-guest-image.sh), NIOVIRT_CONSOLE_DIR
# (default /var/log/nio-virt; the console file is <dir>/<domain name>.serial.log).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPTS_DIR="$SCRIPT_DIR/../../scripts"
readonly LIBVIRT_URI=qemu:///system
readonly REPORT_PREFIX='nio-virt-guest: '

use_user_net=false
driver_name=""
queue_count=""
vcpu_count=1
guest_mac=52:54:00:6e:76:01
timeout_seconds=180
expected_nic_count=1

log() {
    echo "boot-check: $*" >&2
}

fail() {
    log "error: $*"
    exit 1
}

require_value() {
    [[ $# -ge 2 && -n "$2" ]] || fail "option $1 needs a value"
}

parse_arguments() {
    while (($# > 0)); do
        case "$1" in
            --user-net) use_user_net=true; shift ;;
            --driver) require_value "$@"; driver_name="$2"; shift 2 ;;
            --queues) require_value "$@"; queue_count="$2"; shift 2 ;;
            --vcpus) require_value "$@"; vcpu_count="$2"; shift 2 ;;
            --mac) require_value "$@"; guest_mac="${2,,}"; shift 2 ;;
            --timeout) require_value "$@"; timeout_seconds="$2"; shift 2 ;;
            --expect-nics) require_value "$@"; expected_nic_count="$2"; shift 2 ;;
            *) fail "unknown argument '$1' (see the usage at the top of $0)" ;;
        esac
    done
    [[ -z "$driver_name" || "$driver_name" =~ ^(vhost|qemu)$ ]] || fail "--driver must be vhost or qemu, got '$driver_name'"
    [[ -z "$queue_count" || "$queue_count" =~ ^[1-9][0-9]*$ ]] || fail "--queues must be a positive integer, got '$queue_count'"
    [[ "$vcpu_count" =~ ^[1-9][0-9]*$ ]] || fail "--vcpus must be a positive integer, got '$vcpu_count'"
    [[ "$guest_mac" =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || fail "--mac must look like 52:54:00:12:34:56, got '$guest_mac'"
    [[ "$timeout_seconds" =~ ^[1-9][0-9]*$ ]] || fail "--timeout must be a positive integer, got '$timeout_seconds'"
    [[ "$expected_nic_count" =~ ^[1-9][0-9]*$ ]] || fail "--expect-nics must be a positive integer, got '$expected_nic_count'"
}

# Replacements are quoted: bash 5.2 would otherwise put the matched text in place of '&'.
xml_escape() {
    local text="$1"
    text="${text//&/"&amp;"}"
    text="${text//</"&lt;"}"
    text="${text//>/"&gt;"}"
    text="${text//\'/"&apos;"}"
    text="${text//\"/"&quot;"}"
    printf '%s' "$text"
}

# Reads KEY=VALUE lines (as the lab scripts print them) into the named associative array.
read_key_values() {
    local -n target="$1"
    local key value
    while IFS='=' read -r key value; do
        # shellcheck disable=SC2034 # target is a nameref: this fills the caller's array
        [[ -n "$key" ]] && target["$key"]="$value"
    done
}

# QEMU runs as libvirt-qemu; libvirt relabels the files but not their folders.
require_searchable_by_qemu() {
    local directory
    directory="$(dirname "$1")"
    while [[ "$directory" != / ]]; do
        if (($(stat -c '0%a' "$directory") & 1)) || [[ "$(stat -c %U "$directory")" == libvirt-qemu ]]; then
            directory="$(dirname "$directory")"
            continue
        fi
        fail "QEMU (user libvirt-qemu) cannot enter $directory to read $1; set NIOVIRT_GUEST_CACHE to a folder others may enter, such as /var/cache/nio-virt/guest"
    done
}

interface_xml() {
    local network="$1"
    if [[ "$use_user_net" == true || -z "$network" ]]; then
        echo "    <interface type='user'>"
    else
        echo "    <interface type='network'>"
        echo "      <source network='$(xml_escape "$network")'/>"
    fi
    echo "      <mac address='$guest_mac'/>"
    echo "      <model type='virtio'/>"
    if [[ -n "$driver_name" || -n "$queue_count" ]]; then
        local driver_attributes=""
        [[ -n "$driver_name" ]] && driver_attributes+=" name='$driver_name'"
        [[ -n "$queue_count" ]] && driver_attributes+=" queues='$queue_count'"
        echo "      <driver$driver_attributes/>"
    fi
    echo "    </interface>"
}

domain_xml() {
    local name="$1" kernel="$2" initrd="$3" console="$4" network="$5"
    cat <<EOF
<domain type='qemu'>
  <name>$(xml_escape "$name")</name>
  <memory unit='MiB'>256</memory>
  <vcpu>$vcpu_count</vcpu>
  <os>
    <type arch='x86_64'>hvm</type>
    <kernel>$(xml_escape "$kernel")</kernel>
    <initrd>$(xml_escape "$initrd")</initrd>
    <cmdline>console=ttyS0 panic=-1 niovirt.nics=${expected_nic_count}</cmdline>
  </os>
  <features><acpi/></features>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>
$(interface_xml "$network")
    <serial type='file'>
      <source path='$(xml_escape "$console")'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
EOF
}

domain_name=""
remove_domain() {
    [[ -n "$domain_name" ]] || return 0
    virsh -c "$LIBVIRT_URI" destroy "$domain_name" >/dev/null 2>&1 || true # already off after poweroff
    virsh -c "$LIBVIRT_URI" undefine "$domain_name" >/dev/null 2>&1 || log "could not undefine $domain_name"
}

domain_is_running() {
    [[ "$(virsh -c "$LIBVIRT_URI" domstate "$domain_name" 2>/dev/null)" == running ]]
}

main() {
    parse_arguments "$@"
    ((EUID == 0)) || fail "must run as root (qemu:///system), running as uid $EUID"

    declare -A image=() libvirt=()
    local started_at=$SECONDS
    read_key_values image < <(bash "$SCRIPTS_DIR/build-guest-image.sh")
    log "guest image ready in $((SECONDS - started_at)) s"
    [[ -f "${image[NIOVIRT_GUEST_KERNEL]:-}" && -f "${image[NIOVIRT_GUEST_INITRD]:-}" ]] ||
        fail "build-guest-image.sh printed no kernel/initrd paths"
    require_searchable_by_qemu "${image[NIOVIRT_GUEST_KERNEL]}"
    require_searchable_by_qemu "${image[NIOVIRT_GUEST_INITRD]}"

    started_at=$SECONDS
    read_key_values libvirt < <(bash "$SCRIPTS_DIR/start-libvirtd.sh")
    log "libvirtd ready in $((SECONDS - started_at)) s; network: '${libvirt[NIOVIRT_LIBVIRT_NETWORK]:-}'"

    domain_name="nio-virt-boot-check-$$"
    local console_dir="${NIOVIRT_CONSOLE_DIR:-/var/log/nio-virt}"
    local console_file="$console_dir/$domain_name.serial.log"
    mkdir -p "$console_dir"
    trap remove_domain EXIT

    local domain_file
    domain_file="$(mktemp "/tmp/$domain_name.XXXXXX.xml")"
    domain_xml "$domain_name" "${image[NIOVIRT_GUEST_KERNEL]}" "${image[NIOVIRT_GUEST_INITRD]}" \
        "$console_file" "${libvirt[NIOVIRT_LIBVIRT_NETWORK]:-}" >"$domain_file"
    log "domain XML: $domain_file; console: $console_file"

    local boot_started_ns
    boot_started_ns="$(date +%s%N)"
    virsh -c "$LIBVIRT_URI" define "$domain_file" >/dev/null
    if ! virsh -c "$LIBVIRT_URI" start "$domain_name" >/dev/null; then
        fail "libvirt could not start $domain_name (domain XML kept in $domain_file)"
    fi

    local deadline=$((SECONDS + timeout_seconds))
    until grep -q "^${REPORT_PREFIX}done" "$console_file" 2>/dev/null; do
        if ! domain_is_running && ! grep -q "^${REPORT_PREFIX}done" "$console_file" 2>/dev/null; then
            tail -n 20 "$console_file" >&2 || true
            fail "guest stopped before reporting done (console: $console_file)"
        fi
        if ((SECONDS >= deadline)); then
            tail -n 20 "$console_file" >&2 || true
            fail "no '${REPORT_PREFIX}done' within ${timeout_seconds}s (console: $console_file)"
        fi
        sleep 0.5
    done
    local boot_ms=$((($(date +%s%N) - boot_started_ns) / 1000000))
    log "define+start to 'done': ${boot_ms} ms"

    # The serial line discipline ends lines with CR LF.
    local nic_lines problem_lines
    nic_lines="$(tr -d '\r' <"$console_file" | grep "^${REPORT_PREFIX}nic=" || true)"
    problem_lines="$(tr -d '\r' <"$console_file" | grep -E "^${REPORT_PREFIX}(module-error|nic-timeout) " || true)"
    printf '%s\n' "$nic_lines"
    remove_domain
    domain_name=""

    [[ -z "$problem_lines" ]] || fail "the guest reported: $problem_lines (console kept at $console_file)"

    local expected="^${REPORT_PREFIX}nic=[^ ]+ driver=virtio_net mac=${guest_mac} "
    if [[ "$(grep -cE "$expected" <<<"$nic_lines")" != 1 ]]; then
        fail "expected one virtio_net NIC with mac $guest_mac; console kept at $console_file"
    fi
    rm -f -- "$console_file" "$domain_file"
    log "ok"
}

main "$@"

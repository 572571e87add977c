#!/usr/bin/env bash
# Makes a real libvirt daemon answer on qemu:///system for nio-virt's end-to-end
# tests, also on a machine where no init system starts services (the project's
# sandbox and CI have no systemd; where systemd runs, it starts the units).
# Idempotent: installs the Debian packages if missing, starts virtlogd and
# libvirtd if they are not running, waits until virsh answers, and makes sure
# the libvirt network "default" (virbr0 + dnsmasq, NAT) exists and is active.
#
# stdout: NIOVIRT_LIBVIRT_URI=qemu:///system and
#   NIOVIRT_LIBVIRT_NETWORK=default   when the network is active, or
#   NIOVIRT_LIBVIRT_NETWORK=          when it could not start (guests then use
#                                     <interface type='user'>); the reason goes to stderr.
# Progress goes to stderr. Exit status 1 when libvirtd does not answer.
set -euo pipefail

readonly LIBVIRT_URI=qemu:///system
readonly NETWORK_NAME=default
# Debian 12's own QEMU 7.2 and libvirt 9.0: what a plain bookworm host has.
readonly REQUIRED_PACKAGES=(qemu-system-x86 libvirt-daemon-system libvirt-clients dnsmasq-base)
readonly DEFAULT_NETWORK_XML=/usr/share/libvirt/networks/default.xml
readonly ANSWER_TIMEOUT_SECONDS=60

log() {
    echo "start-libvirtd: $*" >&2
}

fail() {
    log "error: $*"
    exit 1
}

ensure_packages() {
    local package missing=()
    for package in "${REQUIRED_PACKAGES[@]}"; do
        if [[ "$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null)" != installed ]]; then
            missing+=("$package")
        fi
    done
    ((${#missing[@]} == 0)) && return 0
    log "installing ${missing[*]}"
    # Recommends would add ~180 packages (GUI, storage, other hypervisors) the tests do not use.
    if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
        --no-install-recommends "${missing[@]}" >&2; then
        log "install failed: refreshing apt's lists once and retrying"
        apt-get -o DPkg::Lock::Timeout=900 update -q >&2
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q \
            --no-install-recommends "${missing[@]}" >&2
    fi
}

# True when the pid file names a live process with that command name.
daemon_running() {
    local name="$1" pid_file="/run/$1.pid" pid
    [[ -r "$pid_file" ]] || return 1
    pid="$(<"$pid_file")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == "$name" ]]
}

ensure_daemon() {
    local name="$1"
    # A host booted with systemd starts the daemons through their units (socket activation).
    if [[ -d /run/systemd/system ]]; then
        log "systemd runs this host: systemctl start $name"
        systemctl start "$name"
        return 0
    fi
    if daemon_running "$name"; then
        log "$name already running (pid $(<"/run/$name.pid"))"
        return 0
    fi
    log "starting $name"
    "$name" --daemon
}

wait_until_libvirt_answers() {
    local deadline=$((SECONDS + ANSWER_TIMEOUT_SECONDS))
    # 'list' proves that the QEMU driver answers; 'version' can take seconds
    # (it asks the QEMU capabilities), so it runs once, for the log.
    until virsh -c "$LIBVIRT_URI" list --all --name >/dev/null 2>&1; do
        ((SECONDS < deadline)) || fail "libvirtd did not answer on $LIBVIRT_URI within ${ANSWER_TIMEOUT_SECONDS}s (see /var/log/libvirt/)"
        sleep 0.5
    done
    log "$(virsh -c "$LIBVIRT_URI" version | paste -sd ';' -)"
}

# Prints the active network's name, or nothing when it cannot be made active.
ensure_default_network() {
    local output
    if ! virsh -c "$LIBVIRT_URI" net-info "$NETWORK_NAME" >/dev/null 2>&1; then
        [[ -f "$DEFAULT_NETWORK_XML" ]] || {
            log "network '$NETWORK_NAME' is not defined and $DEFAULT_NETWORK_XML is missing"
            return 0
        }
        log "defining network '$NETWORK_NAME' from $DEFAULT_NETWORK_XML"
        virsh -c "$LIBVIRT_URI" net-define "$DEFAULT_NETWORK_XML" >&2
    fi
    virsh -c "$LIBVIRT_URI" net-autostart "$NETWORK_NAME" >/dev/null
    if [[ "$(virsh -c "$LIBVIRT_URI" net-info "$NETWORK_NAME" | awk '$1 == "Active:" { print $2 }')" != yes ]]; then
        log "starting network '$NETWORK_NAME'"
        if ! output="$(virsh -c "$LIBVIRT_URI" net-start "$NETWORK_NAME" 2>&1)"; then
            log "network '$NETWORK_NAME' cannot start here; guests must use <interface type='user'>: $output"
            return 0
        fi
    fi
    echo "$NETWORK_NAME"
}

main() {
    (($# == 0)) || fail "takes no arguments (got '$1')"
    ((EUID == 0)) || fail "must run as root (qemu:///system), running as uid $EUID"
    ensure_packages
    ensure_daemon virtlogd
    ensure_daemon libvirtd
    wait_until_libvirt_answers
    local network
    network="$(ensure_default_network)"
    echo "NIOVIRT_LIBVIRT_URI=$LIBVIRT_URI"
    echo "NIOVIRT_LIBVIRT_NETWORK=$network"
}

main "$@"

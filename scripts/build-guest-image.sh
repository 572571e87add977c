#!/usr/bin/env bash
# Builds the nio-virt test guest from Debian packages only: Debian's amd64
# kernel (vmlinuz) and a busybox-static initramfs whose /init
# (scripts/guest-init.sh) reports the guest's NICs on the serial console.
#
# Output, cached in $NIOVIRT_GUEST_CACHE, by default /var/cache/nio-virt/guest
# for root and $HOME/.cache/nio-virt/guest for other users:
#   vmlinuz, initramfs.gz, manifest (package versions, modules, builder hash).
# Root's default is not /root/.cache because libvirt's QEMU runs as user
# libvirt-qemu, which cannot enter /root (mode 0700) to read the kernel.
# A second run with the same packages and the same builder files does nothing.
# stdout: two lines, NIOVIRT_GUEST_KERNEL=<path> and NIOVIRT_GUEST_INITRD=<path>;
# progress goes to stderr.
#
# Environment:
#   NIOVIRT_GUEST_CACHE           output folder (default above)
#   NIOVIRT_GUEST_KERNEL_PACKAGE  kernel package (default: what linux-image-amd64 depends on)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly GUEST_INIT="$SCRIPT_DIR/guest-init.sh"
if ((EUID == 0)); then
    readonly DEFAULT_CACHE_DIR=/var/cache/nio-virt/guest
else
    readonly DEFAULT_CACHE_DIR="$HOME/.cache/nio-virt/guest"
fi
readonly CACHE_DIR="${NIOVIRT_GUEST_CACHE:-$DEFAULT_CACHE_DIR}"
readonly BUSYBOX_PACKAGE=busybox-static
# NIC drivers the guest loads; their dependencies are added in load order.
# virtio_pci is the bus driver that virtio_net's devices sit on.
readonly GUEST_DRIVERS=(virtio_pci virtio_net e1000 e1000e igb igbvf)
readonly APT_INSTALL=(apt-get -o DPkg::Lock::Timeout=900 install -y -q)

log() {
    echo "build-guest-image: $*" >&2
}

fail() {
    log "error: $*"
    exit 1
}

# modinfo lives in /usr/sbin, which a non-root PATH often lacks.
find_modinfo() {
    PATH="$PATH:/usr/sbin:/sbin" command -v modinfo
}

ensure_host_tools() {
    local missing=()
    command -v cpio >/dev/null || missing+=(cpio)
    find_modinfo >/dev/null || missing+=(kmod)
    command -v gzip >/dev/null || missing+=(gzip)
    if ((${#missing[@]} > 0)); then
        log "installing ${missing[*]}"
        DEBIAN_FRONTEND=noninteractive "${APT_INSTALL[@]}" "${missing[@]}" >&2
    fi
}

apt_update() {
    log "apt's lists lack $1: running apt-get update"
    apt-get -o DPkg::Lock::Timeout=900 update -q >&2
}

# Fills CANDIDATE_VERSION[package] from one apt-cache call (each call takes ~0.7 s).
declare -A CANDIDATE_VERSION=()
load_candidate_versions() {
    local line package=""
    CANDIDATE_VERSION=()
    while IFS= read -r line; do
        if [[ "$line" =~ ^([^[:space:]]+):$ ]]; then
            package="${BASH_REMATCH[1]}"
        elif [[ "$line" =~ ^[[:space:]]+Candidate:[[:space:]]+(.+)$ && "${BASH_REMATCH[1]}" != "(none)" ]]; then
            CANDIDATE_VERSION["$package"]="${BASH_REMATCH[1]}"
        fi
    done < <(apt-cache policy "$@")
}

all_have_candidates() {
    local package
    for package in "$@"; do
        [[ -n "${CANDIDATE_VERSION[$package]:-}" ]] || return 1
    done
}

# Runs apt-get update once when apt's lists do not know a package (clean machine).
require_candidate_versions() {
    load_candidate_versions "$@"
    all_have_candidates "$@" && return 0
    apt_update "$*"
    load_candidate_versions "$@"
    local package
    for package in "$@"; do
        [[ -n "${CANDIDATE_VERSION[$package]:-}" ]] || fail "no installable Debian package named '$package'"
    done
}

kernel_package_of_metapackage() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'
}

resolve_kernel_package() {
    if [[ -n "${NIOVIRT_GUEST_KERNEL_PACKAGE:-}" ]]; then
        echo "$NIOVIRT_GUEST_KERNEL_PACKAGE"
        return
    fi
    local package
    package="$(kernel_package_of_metapackage)"
    if [[ -z "$package" ]]; then
        apt_update linux-image-amd64
        package="$(kernel_package_of_metapackage)"
    fi
    [[ -n "$package" ]] || fail "linux-image-amd64 depends on no linux-image-<release> package"
    echo "$package"
}

# The manifest's identity lines: a cached build is reused only when all match.
identity_lines() {
    local kernel_package="$1"
    echo "kernel_package=$kernel_package"
    echo "kernel_package_version=${CANDIDATE_VERSION[$kernel_package]}"
    echo "busybox_package=$BUSYBOX_PACKAGE"
    echo "busybox_package_version=${CANDIDATE_VERSION[$BUSYBOX_PACKAGE]}"
    echo "guest_drivers=$(IFS=,; echo "${GUEST_DRIVERS[*]}")"
    echo "builder_sha256=$(cat "${BASH_SOURCE[0]}" "$GUEST_INIT" | sha256sum | awk '{ print $1 }')"
}

cached_build_is_current() {
    local identity="$1"
    [[ -f "$CACHE_DIR/manifest" && -f "$CACHE_DIR/vmlinuz" && -f "$CACHE_DIR/initramfs.gz" ]] || return 1
    local cached_identity
    cached_identity="$(grep -E '^(kernel_package|kernel_package_version|busybox_package|busybox_package_version|guest_drivers|builder_sha256)=' "$CACHE_DIR/manifest")"
    [[ "$cached_identity" == "$identity" ]]
}

# Prints the .ko path of every module in "$@" plus its dependencies, each after
# what it depends on. Module names may use '-' or '_' (modinfo mixes both).
resolve_module_load_order() {
    local modules_root="$1"
    shift
    declare -A module_path=()
    declare -A visited=()
    local ko name modinfo
    modinfo="$(find_modinfo)"
    while IFS= read -r -d '' ko; do
        name="${ko##*/}"
        name="${name%.ko}"
        module_path["${name//-/_}"]="$ko"
    done < <(find "$modules_root" -name '*.ko' -print0)

    visit() {
        local module="${1//-/_}"
        [[ -n "${visited[$module]:-}" ]] && return 0
        visited["$module"]=1
        local ko_file="${module_path[$module]:-}"
        # Not a module file: built into the kernel (modules.builtin) or missing.
        if [[ -z "$ko_file" ]]; then
            grep -q "/$module.ko\$\|/${1}.ko\$" "$modules_root/modules.builtin" ||
                fail "module '$1' is neither a .ko file nor built into the kernel"
            return 0
        fi
        local depends dependency
        depends="$("$modinfo" -F depends "$ko_file")"
        local -a dependencies=()
        IFS=, read -r -a dependencies <<<"$depends"
        for dependency in "${dependencies[@]}"; do
            [[ -n "$dependency" ]] && visit "$dependency"
        done
        echo "$ko_file"
    }
    local requested
    for requested in "$@"; do
        visit "$requested"
    done
}

build_initramfs() {
    local work_dir="$1" kernel_release="$2" output="$3"
    local busybox_binary="$work_dir/busybox-root/bin/busybox"
    local root="$work_dir/initramfs-root"
    local modules_root="$work_dir/kernel-root/lib/modules/$kernel_release"
    mkdir -p "$root"/{bin,dev,proc,sys,etc/nio-virt,lib/modules}

    cp "$busybox_binary" "$root/bin/busybox"
    local applet
    while IFS= read -r applet; do
        [[ "$applet" == busybox ]] || ln -s busybox "$root/bin/$applet"
    done < <("$busybox_binary" --list)

    # Not in a process substitution: fail() must end the whole build.
    local load_order_file="$work_dir/module-load-order" ko
    resolve_module_load_order "$modules_root" "${GUEST_DRIVERS[@]}" >"$load_order_file"
    : >"$root/etc/nio-virt/modules"
    while IFS= read -r ko; do
        cp "$ko" "$root/lib/modules/"
        basename "$ko" >>"$root/etc/nio-virt/modules"
    done <"$load_order_file"

    install -m 0755 "$GUEST_INIT" "$root/init"
    # The kernel opens /dev/console for /init before /init can mount devtmpfs.
    # Only root may create the node; without it the kernel warns and /init
    # still reaches the console after mounting devtmpfs.
    if ((EUID == 0)); then
        mknod -m 0600 "$root/dev/console" c 5 1
    fi

    (cd "$root" && find . -print0 | LC_ALL=C sort -z |
        cpio --null --create --format=newc --owner=0:0 --quiet) | gzip -9 >"$output"
}

build() {
    local kernel_package="$1" identity="$2"
    mkdir -p "$CACHE_DIR"
    local work_dir
    work_dir="$(mktemp -d "$CACHE_DIR/build.XXXXXX")"
    # shellcheck disable=SC2064 # expand work_dir now: it is local
    trap "rm -rf -- '$work_dir'" EXIT

    log "downloading $kernel_package and $BUSYBOX_PACKAGE"
    # The sandbox user _apt cannot write into a 0700 mktemp folder; root can.
    (cd "$work_dir" && apt-get -o APT::Sandbox::User=root -q download "$kernel_package" "$BUSYBOX_PACKAGE" >&2)
    dpkg-deb -x "$work_dir/${kernel_package}_"*.deb "$work_dir/kernel-root"
    dpkg-deb -x "$work_dir/${BUSYBOX_PACKAGE}_"*.deb "$work_dir/busybox-root"

    local vmlinuz_files=("$work_dir"/kernel-root/boot/vmlinuz-*)
    if ((${#vmlinuz_files[@]} != 1)) || [[ ! -f "${vmlinuz_files[0]}" ]]; then
        fail "$kernel_package holds no single boot/vmlinuz-* file"
    fi
    local kernel_release="${vmlinuz_files[0]##*/vmlinuz-}"

    log "building initramfs for $kernel_release"
    build_initramfs "$work_dir" "$kernel_release" "$work_dir/initramfs.gz"
    local module_list
    module_list="$(paste -sd, "$work_dir/initramfs-root/etc/nio-virt/modules")"

    # The manifest goes last: its presence marks a complete build.
    rm -f "$CACHE_DIR/manifest"
    # Readable by all: QEMU reads them as another user (libvirt-qemu).
    install -m 0644 "${vmlinuz_files[0]}" "$CACHE_DIR/vmlinuz"
    install -m 0644 "$work_dir/initramfs.gz" "$CACHE_DIR/initramfs.gz"
    {
        echo "$identity"
        echo "kernel_release=$kernel_release"
        echo "modules=$module_list"
        echo "vmlinuz=$CACHE_DIR/vmlinuz"
        echo "initramfs=$CACHE_DIR/initramfs.gz"
        echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    } >"$CACHE_DIR/manifest.tmp"
    mv "$CACHE_DIR/manifest.tmp" "$CACHE_DIR/manifest"
    rm -rf -- "$work_dir"
    trap - EXIT
}

main() {
    (($# == 0)) || fail "takes no arguments (got '$1'); set NIOVIRT_GUEST_CACHE or NIOVIRT_GUEST_KERNEL_PACKAGE instead"
    [[ -f "$GUEST_INIT" ]] || fail "guest init script missing: $GUEST_INIT"
    mkdir -p "$CACHE_DIR"
    chmod go+rx "$CACHE_DIR"
    # One build at a time per cache folder (parallel test runs share it).
    exec 9>"$CACHE_DIR/.lock"
    flock 9

    local kernel_package identity
    kernel_package="$(resolve_kernel_package)"
    require_candidate_versions "$kernel_package" "$BUSYBOX_PACKAGE"
    identity="$(identity_lines "$kernel_package")"

    if cached_build_is_current "$identity"; then
        log "cached build is current ($CACHE_DIR/manifest)"
    else
        ensure_host_tools
        build "$kernel_package" "$identity"
        log "built $CACHE_DIR/vmlinuz and $CACHE_DIR/initramfs.gz"
    fi
    echo "NIOVIRT_GUEST_KERNEL=$CACHE_DIR/vmlinuz"
    echo "NIOVIRT_GUEST_INITRD=$CACHE_DIR/initramfs.gz"
}

main "$@"

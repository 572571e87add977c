# shellcheck shell=bash disable=SC2034 # the variables are for the scripts that source this
# Shared settings of the capture lab (sourced, not run).
LAB_WORK=${LAB_WORK:-/var/tmp/nio-virt-capture-lab}
APT_DIR=$LAB_WORK/apt
DEBS_DIR=$LAB_WORK/debs
ROOT_DIR=$LAB_WORK/root
# Modules built by the lab (build-rocker.sh), loaded only where lab.insmod asks.
EXTRA_MODULES_DIR=$LAB_WORK/extra-modules
QEMU=$ROOT_DIR/usr/bin/qemu-system-x86_64
# QEMU 10 must not load the accelerator/UI modules of a system QEMU of another build.
export QEMU_MODULE_DIR=$ROOT_DIR/usr/lib/x86_64-linux-gnu/qemu

die() { echo "error: $*" >&2; exit 1; }

# apt with its own sources, lists and cache, so the host's apt setup stays as it is.
PRIVATE_APT_OPTIONS=(
    -o Dir::Etc::SourceList="$APT_DIR/sources.list"
    -o Dir::Etc::SourceParts=/dev/null
    -o Dir::State::Lists="$APT_DIR/lists"
    -o Dir::Cache="$APT_DIR/cache"
    # root-owned download folders: the _apt user could not write there.
    -o APT::Sandbox::User=root
)
private_apt() {
    apt-get "${PRIVATE_APT_OPTIONS[@]}" "$@"
}

newest_kernel_package() {
    apt-cache "${PRIVATE_APT_OPTIONS[@]}" pkgnames linux-image-6.1.0- \
        | grep -E '^linux-image-6\.1\.0-[0-9]+-amd64$' | sort -V | tail -1
}

# Helpers for machines/*.sh: they append QEMU arguments to DEVICE_ARGS.
# root_port ID ADDR: a PCIe root port (slot numbered after its id) at 00:ADDR.
root_port() {
    DEVICE_ARGS+=(-device "pcie-root-port,id=$1,slot=${1#rp},addr=$2")
}
# nic MODEL ID MAC [DEVICE OPTIONS]: a NIC on its own user-mode network.
# restrict=on keeps that network inside QEMU (no host or outside traffic);
# romfile= skips the iPXE boot ROM (direct kernel boot needs none).
# NETDEV_OPTIONS adds options to every such network (the lab hosts use ipv6=off).
nic() {
    local model=$1 id=$2 mac=$3 options=${4:+,$4}
    DEVICE_ARGS+=(
        -netdev "user,id=$id,restrict=on${NETDEV_OPTIONS:+,$NETDEV_OPTIONS}"
        -device "$model,netdev=$id,mac=$mac,romfile=$options"
    )
}

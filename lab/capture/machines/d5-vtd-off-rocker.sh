# shellcheck shell=bash disable=SC2034,SC2054 # sourced by run-capture.sh; commas are QEMU options
# Intel VT-d hardware (DMAR table, interrupt remapping on) but the kernel has
# intel_iommu=off: no IOMMU groups, no /sys/class/iommu unit. SR-IOV works
# without an IOMMU, so the igb PF has 2 VFs that cannot be passed through.
# 00:06.0 is a Rocker switch, PCI class 0x0280 (network, other), which
# Debian's kernel has no driver for: a network-class function with no netdev.
IOMMU_ARGS=(-device intel-iommu,intremap=on,caching-mode=on)
GUEST_CMDLINE="intel_iommu=off lab.vfs=0000:01:00.0:2"
root_port rp1 04.0
nic igb n_igb 52:54:00:12:37:01 bus=rp1
DEVICE_ARGS+=(
    -netdev user,id=n_sw0,restrict=on
    # JSON form: QEMU 10 takes the array property "ports" only this way.
    -device '{"driver":"rocker","name":"sw0","ports":["n_sw0"],"addr":"06.0","romfile":""}'
)

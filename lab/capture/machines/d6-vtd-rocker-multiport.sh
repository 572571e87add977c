# shellcheck shell=bash disable=SC2034,SC2054 # sourced by run-capture.sh; commas are QEMU options
# Intel VT-d with interrupt remapping and one PCI function with several
# netdevs: a Rocker switch (1b36:0006, class 0x0280) with two ports, driven by
# the in-tree rocker driver that build-rocker.sh builds for Debian's kernel.
# Each port is a netdev under the same function (phys_port_name p1, p2, one
# phys_switch_id).
IOMMU_ARGS=(-device intel-iommu,intremap=on,caching-mode=on)
GUEST_CMDLINE="intel_iommu=on lab.insmod=rocker"
DEVICE_ARGS+=(
    -netdev user,id=n_sw0p1,restrict=on
    -netdev user,id=n_sw0p2,restrict=on
    # JSON form: QEMU 10 takes the array property "ports" only this way.
    -device '{"driver":"rocker","name":"sw0","ports":["n_sw0p1","n_sw0p2"],"addr":"06.0","romfile":""}'
)

# shellcheck shell=bash disable=SC2034,SC2054 # sourced by run-capture.sh; commas are QEMU options
# AMD-Vi (IVRS table, unit ivhd0) with a quad-port e1000e card: four functions
# of one slot without ACS, so one IOMMU group. Linux 6.1 panics on AMD-Vi
# interrupt remapping under QEMU ("timer doesn't work through
# Interrupt-remapped IO-APIC"), hence intremap=off on both sides: no IR- chips.
IOMMU_ARGS=(-device amd-iommu,intremap=off)
# QEMU puts the AMD-Vi PCI function in the first free slot, 00:02.0.
SHARE_ADDR=05.0
GUEST_CMDLINE="intremap=off"
root_port rp1 04.0
nic e1000e n_p0 52:54:00:12:35:00 bus=rp1,addr=00.0,multifunction=on
nic e1000e n_p1 52:54:00:12:35:01 bus=rp1,addr=00.1
nic e1000e n_p2 52:54:00:12:35:02 bus=rp1,addr=00.2
nic e1000e n_p3 52:54:00:12:35:03 bus=rp1,addr=00.3

# shellcheck shell=bash disable=SC2034,SC2054 # sourced by run-capture.sh; commas are QEMU options
# Intel VT-d without interrupt remapping (DMAR flags 0, no IR- chips) and two
# igb SR-IOV PFs: 01:00.0 with its driver and no VFs yet (sriov_numvfs 0), and
# 02:00.0 whose driver is unbound before capture (VFs cannot be created).
IOMMU_ARGS=(-device intel-iommu,intremap=off,caching-mode=on)
GUEST_CMDLINE="intel_iommu=on lab.unbind=0000:02:00.0"
root_port rp1 04.0
root_port rp2 05.0
nic igb n_igb1 52:54:00:12:36:01 bus=rp1
nic igb n_igb2 52:54:00:12:36:02 bus=rp2

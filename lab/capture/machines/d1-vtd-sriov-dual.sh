# shellcheck shell=bash disable=SC2034,SC2054 # sourced by run-capture.sh; commas are QEMU options
# Recreates the machine of the shared capture d1 (VT-d with interrupt
# remapping, igb PF with 2 VFs, dual-port e1000e card).
IOMMU_ARGS=(-device intel-iommu,intremap=on,caching-mode=on)
GUEST_CMDLINE="intel_iommu=on lab.vfs=0000:01:00.0:2"
root_port rp1 04.0
root_port rp2 05.0
nic igb n_igb 52:54:00:12:34:57 bus=rp1
nic e1000e n_p0 52:54:00:12:34:58 bus=rp2,addr=00.0,multifunction=on
nic e1000e n_p1 52:54:00:12:34:59 bus=rp2,addr=00.1

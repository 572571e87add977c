#!/usr/bin/env bash
# Prepares a Debian 12 machine for nio-virt: installs what the SDK, its command line and its tests
# need, starts libvirtd for the real-guest test, builds the test guest image and the launcher jar.
# Idempotent; run as root or with sudo available.
set -euo pipefail

project_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi

packages=(
  openjdk-17-jdk-headless maven      # build
  libvirt0 libvirt-clients libxml2-utils  # libvirt-java's native library; virt-xml-validate (needs xmllint) and RNG schemas
  pci.ids iproute2 kmod              # device names for the inventory; 'ip link' for PF link-up
  qemu-system-x86 libvirt-daemon-system dnsmasq-base   # real libvirtd + QEMU guest test
  busybox-static cpio                # the test guest's initramfs
  chromium chromium-driver           # dashboard test in a real headless browser
  systemd                            # systemd-analyze verify checks the boot unit of 'host persist'
  openssh-server openssh-client      # remote hosts' tests: sshd on 127.0.0.1 (scripts/start-test-sshd.sh)
  python3-nova python3-neutron python3-jsonschema  # export tests: Nova's and Neutron's own parsers
  prometheus                         # promtool checks the dashboard's /metrics
  lintian man-db curl                # the Debian package's checks: lintian, man -w nio-virt, its /metrics
)

echo "nio-virt setup: installing ${#packages[@]} Debian packages (those already present are kept)"
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
  -o DPkg::Lock::Timeout=600 "${packages[@]}" >/dev/null

if [ -x "$project_dir/scripts/start-libvirtd.sh" ]; then
  echo "nio-virt setup: starting virtlogd and libvirtd"
  "${as_root[@]}" "$project_dir/scripts/start-libvirtd.sh"
fi
if [ -x "$project_dir/scripts/build-guest-image.sh" ]; then
  # As root, so the image lands in /var/cache/nio-virt/guest where QEMU (user libvirt-qemu) can read it.
  echo "nio-virt setup: building the test guest image from Debian packages (cached)"
  "${as_root[@]}" "$project_dir/scripts/build-guest-image.sh" >/dev/null
fi

echo "nio-virt setup: building the launcher (mvn package of nio-virt-cli and what it needs, tests skipped)"
(cd "$project_dir" && mvn -B -q -DskipTests -pl nio-virt-cli -am package)
echo "nio-virt setup: done"

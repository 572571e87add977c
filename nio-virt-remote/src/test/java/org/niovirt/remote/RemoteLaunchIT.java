package org.niovirt.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.testing.RealGuest;

/**
 * A launch through the remote protocol ({@code qemu+ssh://root@127.0.0.1/system}, real sshd and
 * libvirtd) with the host's side over SSH: the guest's files placed over SFTP, the lock taken on
 * the host, the journal there. The guest boots and sees its virtio NIC with the planned MAC.
 */
class RemoteLaunchIT {
  @BeforeAll
  static void sshd() {
    RemoteInventoryTest.sshdListens();
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void aGuestLaunchedOverSshBoots() throws Exception {
    RemoteHostAccess access = RemoteHostAccess.open(
        SshDestination.fromLibvirtUri(RemoteInventoryTest.URI).orElseThrow());
    LibvirtHostOptions options = access.configure(LibvirtHostOptions.builder().kvmKnownToWork(false).build());
    assertThat(options.stateDirectory().getFileSystem()).as("the journal lives on the host")
        .isSameAs(access.root().getFileSystem());
    try (LibvirtHost host = LibvirtHost.connect(RemoteInventoryTest.URI, options)) {
      RealGuest.bootsWithItsVirtioNic(host, access.root());
    }
    assertThat(access.root().getFileSystem().isOpen()).as("the SSH access closed with the host").isFalse();
  }
}

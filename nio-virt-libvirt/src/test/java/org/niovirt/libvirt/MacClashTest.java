package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.names;
import static org.niovirt.libvirt.testing.TestHosts.virtioRequest;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.libvirt.testing.TestHosts;

/** A MAC another domain already uses is refused before anything is defined. */
class MacClashTest {
  @TempDir Path dir;

  @Test
  void aMacAnotherDomainUsesIsRefusedNamingThatDomain() {
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, TestHosts.options(dir).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host, TestHosts.inventoryOptions().build());
      host.launch(guest("mac-first"), NetworkIoPlanner.create(), inventory, virtioRequest("mac-first", "52:54:00:cc:00:01"));

      assertThatThrownBy(() -> host.launch(guest("mac-second"), NetworkIoPlanner.create(), inventory,
          virtioRequest("mac-second", "52:54:00:CC:00:01")))
          .isInstanceOfSatisfying(InvalidInputException.class, e -> {
            assertThat(e.field()).isEqualTo("mac");
            assertThat(e.value()).isEqualTo("52:54:00:cc:00:01");
            assertThat(e).hasMessageContaining("domain mac-first on test:///default already uses this MAC");
          });
      assertThat(names(host.list())).contains("mac-first").doesNotContain("mac-second");
      host.destroy("mac-first");
      host.undefine("mac-first");
    }
  }
}

package org.niovirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.detect.HostDetector;
import org.niovirt.detect.InventoryJson;
import org.niovirt.libvirt.testing.LoopbackSshd;

/**
 * A real OpenSSH sshd on 127.0.0.1:22 (scripts/start-test-sshd.sh, which CI runs): this machine
 * read over SSH and SFTP must give the inventory a local scan gives. Skipped without that sshd,
 * except where NIOVIRT_REQUIRE_SSHD is set (CI), where it fails instead.
 */
class RemoteInventoryTest {
  static final String URI = LoopbackSshd.URI;
  @TempDir Path dir;

  @BeforeAll
  static void sshdListens() {
    LoopbackSshd.requireOrSkip();
  }

  /** The JSON without the source and link state (a link may change between two reads). */
  static ObjectNode stable(HostInventory inventory) {
    ObjectNode json = InventoryJson.toJson(inventory);
    json.remove("source");
    for (JsonNode netdevs : json.findValues("netdevs")) {
      netdevs.forEach(n -> ((ObjectNode) n).remove(java.util.List.of("operState", "speedMbps")));
    }
    return json;
  }

  @Test
  void thisHostOverSshIsThisHost() {
    SshDestination destination = SshDestination.fromLibvirtUri(URI).orElseThrow();

    HostInventory remote = RemoteInventory.detect(destination);
    HostInventory local = HostDetector.forThisHost().detect();

    assertThat(remote.source()).isEqualTo("ssh://root@127.0.0.1");
    assertThat(stable(remote)).isEqualTo(stable(local));
    assertThat(remote.iommu().interruptRemapping()).isEqualTo(local.iommu().interruptRemapping());
    assertThat(remote.managementInterfaces()).isEqualTo(local.managementInterfaces()).isNotEmpty();
  }

  @Test
  void anUnknownHostKeyIsRefusedNotAccepted() throws IOException {
    Path emptyKnownHosts = Files.createFile(dir.resolve("known_hosts"));
    SshDestination destination = SshDestination.fromLibvirtUri(URI + "?known_hosts=" + emptyKnownHosts)
        .orElseThrow();

    assertThatThrownBy(() -> RemoteInventory.detect(destination))
        .isInstanceOfSatisfying(RemoteInventory.RemoteHostException.class, e -> {
          assertThat(e.host()).isEqualTo("ssh://root@127.0.0.1");
          assertThat(e).hasMessageContaining("known_hosts");
        });
  }

  @Test
  void aClosedPortNamesTheHost() {
    SshDestination destination = new SshDestination(Optional.of("root"), "127.0.0.1", Optional.of(9),
        Optional.empty(), Optional.empty(), true);

    assertThatThrownBy(() -> RemoteInventory.detect(destination))
        .isInstanceOf(RemoteInventory.RemoteHostException.class)
        .hasMessageStartingWith("cannot read the hardware of ssh://root@127.0.0.1:9: ");
  }
}

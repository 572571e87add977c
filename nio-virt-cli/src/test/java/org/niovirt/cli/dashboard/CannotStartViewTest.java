package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.NodeDeviceInventory;
import org.niovirt.libvirt.NodeDeviceInventoryOptions;

/**
 * A guest whose VF is gone (the host rebooted and re-created fewer VFs) is shown as "cannot
 * start" with the fix: persisted-web holds VF 2 of 0000:3b:00.0, the host now has VFs 0 and 1.
 */
class CannotStartViewTest {
  private static final PciAddress PF = PciAddress.parse("0000:3b:00.0");
  @TempDir Path dir;

  private static HostInventory twoVfsLeft(HostInventory host) {
    List<NetworkCard> cards = host.cards().stream().map(card -> NetworkCard.builder().from(card)
        .ports(card.ports().stream().map(port -> {
          if (!port.address().equals(PF)) {
            return port;
          }
          SriovCapability sriov = port.sriov().orElseThrow();
          return NetworkFunction.builder().from(port).sriov(SriovCapability.builder().from(sriov)
              .numVfs(2).vfs(sriov.vfs().subList(0, 2)).build()).build();
        }).collect(Collectors.toList())).build()).collect(Collectors.toList());
    return HostInventory.builder().from(host).cards(cards).build();
  }

  @Test
  void aGuestWhoseVfIsGoneCannotStartAndTheViewSaysTheFix() {
    String uri = "test://" + Path.of("src/test/resources/host/persist-host.xml").toAbsolutePath();
    try (LibvirtHost host = LibvirtHost.connect(uri, LibvirtHostOptions.builder()
        .lockFile(dir.resolve("lock")).stateDirectory(dir.resolve("state")).kvmKnownToWork(false).build())) {
      NodeDeviceInventoryOptions facts = NodeDeviceInventoryOptions.builder().addManagementInterface("eth0").build();
      LibvirtDashboardSource source = new LibvirtDashboardSource(host,
          () -> twoVfsLeft(NodeDeviceInventory.read(host, facts)), Duration.ofHours(1));

      DashboardSource.Observation now = source.observe();
      JsonNode view = new HostView(now.inventory(), now.usage(), now.guests())
          .toJson(source.connection(), false);

      JsonNode guest = StreamSupport.stream(view.path("domains").spliterator(), false)
          .filter(d -> d.path("name").asText().equals("persisted-web")).findFirst().orElseThrow();
      assertThat(guest.path("cannotStart")).hasSize(1);
      assertThat(guest.path("cannotStart").get(0).asText()).startsWith("vf missing (0000:3b:10.4): VF 2 of"
          + " 0000:3b:00.0 does not exist (sriov_numvfs is 2): raise it to at least 3");
    }
  }
}

package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.options;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.testing.LibvirtSchema;

class SampleHostTest {
  @TempDir Path dir;

  private static GuestNetworkRequest pinned(String name, Technology technology) {
    var nic = NicRequest.builder().pinned(technology);
    return GuestNetworkRequest.builder().guestName(name).addNic(nic.build()).build();
  }

  @Test
  void everyTechnologyLaunchesOnTheSampleHostWithSchemaValidXml() {
    try (LibvirtHost host = LibvirtHost.connect(SampleHost.write(dir), options(dir).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host, SampleHost.inventoryOptions());
      NetworkIoPlanner planner = NetworkIoPlanner.create();

      LaunchedGuest vf = host.launch(guest("s-vf"), planner, inventory, pinned("s-vf", Technology.SRIOV));
      LaunchedGuest whole = host.launch(guest("s-pt"), planner, inventory,
          GuestNetworkRequest.builder().guestName("s-pt").addNic(NicRequest.builder().pinned(Technology.VTD)
              .hostDevice(PciAddress.parse("0000:04:00.0")).build()).build());
      LaunchedGuest paravirtual = host.launch(guest("s-vio"), planner, inventory, pinned("s-vio", Technology.VIRTIO));

      assertThat(vf.plan().assignments().get(0)).isInstanceOf(SriovNic.class);
      assertThat(whole.plan().assignments().get(0)).isInstanceOf(PassthroughNic.class);
      assertThat(paravirtual.plan().assignments().get(0)).isInstanceOf(VirtioNic.class);
      for (LaunchedGuest guest : new LaunchedGuest[] {vf, whole, paravirtual}) {
        LibvirtSchema.assertValidDomain(guest.domainXml());
      }
      Map<PciAddress, String> holders = host.deviceUsage().holders();
      assertThat(holders).containsEntry(PciAddress.parse("0000:04:00.0"), "s-pt")
          .containsEntry(vf.plan().devices().get(0), "s-vf").hasSize(2);
    }
  }
}

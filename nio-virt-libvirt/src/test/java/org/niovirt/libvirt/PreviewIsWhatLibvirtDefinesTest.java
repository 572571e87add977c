package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.LaunchMark;

/**
 * One launch path: the XML a preview shows (what {@code plan} and {@code launch} print) is the
 * XML libvirt defined, read back with virDomainGetXMLDesc and compared on every element nio-virt
 * writes; and the launch mark is gone once the guest runs.
 */
class PreviewIsWhatLibvirtDefinesTest extends OnSixteenVfHost {
  @Test
  void theLaunchedXmlIsThePreviewedXmlAndLibvirtKeptEveryElementWeWrote() {
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName("same-xml")
        .addNic(NicRequest.builder().pinned(Technology.SRIOV).vlan(42).build())
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).build())
        .build();
    GuestNetworkPlan plan = NetworkIoPlanner.create().plan(inventory, request, host.deviceUsage());
    LaunchPreview preview = host.preview(guest("same-xml"), plan);

    LaunchedGuest launched = host.launch(preview);
    String readBack = host.xml("same-xml");

    assertThat(launched.domainXml()).isEqualTo(preview.domainXml());
    assertThat(LaunchMark.isPending(readBack)).isFalse();
    DomainXml written = DomainXmlCodec.unmarshal(preview.domainXml());
    DomainXml defined = DomainXmlCodec.unmarshal(readBack);
    assertThat(defined.type()).isEqualTo(written.type());
    assertThat(defined.name()).isEqualTo(written.name());
    assertThat(defined.uuid()).isEqualTo(written.uuid());
    assertThat(defined.memoryKiB()).isEqualTo(written.memoryKiB());
    assertThat(defined.vcpus()).isEqualTo(written.vcpus());
    assertThat(defined.os().kernel()).isEqualTo(written.os().kernel());
    assertThat(defined.recordedPlan()).isEqualTo(written.recordedPlan()).isPresent();
    assertThat(defined.hostPciDevices()).isEqualTo(written.hostPciDevices()).isEqualTo(List.copyOf(plan.devices()));
    assertThat(defined.devices().interfaces()).hasSameSizeAs(written.devices().interfaces());
    for (int i = 0; i < written.devices().interfaces().size(); i++) {
      var ours = written.devices().interfaces().get(i);
      var theirs = defined.devices().interfaces().get(i);
      assertThat(theirs.type()).isEqualTo(ours.type());
      ours.mac().ifPresent(mac -> assertThat(theirs.mac()).contains(mac));
      assertThat(theirs.model()).isEqualTo(ours.model());
    }
    host.destroy("same-xml");
    host.undefine("same-xml");
  }
}

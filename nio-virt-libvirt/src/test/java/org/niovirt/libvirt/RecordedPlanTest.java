package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.libvirt.testing.TestHosts.guest;
import static org.niovirt.libvirt.testing.TestHosts.sriovRequest;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;
import org.niovirt.libvirt.xml.ImmutableDomainXml;
import org.niovirt.libvirt.xml.RecordedNic;
import org.niovirt.libvirt.xml.RecordedPlan;

/** The plan's reasons survive in libvirt's own copy of the domain XML, and their absence is harmless. */
class RecordedPlanTest extends OnSixteenVfHost {
  @Test
  void theReasonsReadBackFromLibvirtAreThoseOfThePlan() {
    LaunchedGuest launched = host.launch(guest("vf1"), planner, inventory, sriovRequest("vf1"));

    String libvirtXml = host.xml("vf1");
    Optional<RecordedPlan> recorded = host.domainXml("vf1").recordedPlan();

    assertThat(libvirtXml).contains(RecordedPlan.NAMESPACE);
    assertThat(recorded).contains(RecordedPlan.of(launched.plan()));
    RecordedNic nic = recorded.orElseThrow().nics().get(0);
    assertThat(nic.technology()).isEqualTo(Technology.SRIOV);
    assertThat(nic.reason()).isEqualTo(launched.plan().assignments().get(0).reason()).isNotBlank();
    assertThat(nic.devices()).isEqualTo(launched.plan().devices());
    assertThat(nic.verdicts()).extracting(Verdict::technology).contains(Technology.VTD, Technology.VIRTIO);
    assertThat(host.list()).singleElement()
        .satisfies(summary -> assertThat(summary.recordedPlan()).isEqualTo(recorded));
  }

  @Test
  void aDomainDefinedBySomeoneElseHasNoRecordAndReadsFine() throws Exception {
    DomainXml withoutPlan = ImmutableDomainXml.copyOf(DomainXmlWriter.toModel(guest("other"),
        planner.plan(inventory, sriovRequest("other"), host.deviceUsage()),
        AcceleratorChoice.resolve(Accelerator.QEMU, false))).withRecordedPlan(Optional.empty());
    host.connection().domainDefineXML(DomainXmlCodec.marshal(withoutPlan));

    assertThat(host.domainXml("other").recordedPlan()).isEmpty();
    assertThat(host.domainXml("other").hostPciDevices()).isEqualTo(withoutPlan.hostPciDevices());
    assertThat(host.list()).singleElement()
        .satisfies(summary -> assertThat(summary.recordedPlan()).isEmpty());
  }

  @Test
  void aDamagedRecordCountsAsNotRecorded() throws Exception {
    String written = TestXml.write(guest("damaged"),
        planner.plan(inventory, sriovRequest("damaged"), host.deviceUsage()),
        AcceleratorChoice.resolve(Accelerator.QEMU, false));
    // Hand-edited: a technology nio-virt does not know.
    String damaged = written.replace("technology=\"sriov\"", "technology=\"warp\"");
    assertThat(damaged).isNotEqualTo(written);
    host.connection().domainDefineXML(damaged);

    assertThat(host.xml("damaged")).contains("warp");
    assertThat(host.domainXml("damaged").recordedPlan()).isEmpty();
    assertThat(host.list()).singleElement()
        .satisfies(summary -> assertThat(summary.hostDevices()).isNotEmpty());
  }

  @Test
  void recordsMissingTheirReasonOrInAnotherNamespaceAreNotRecorded() {
    String base = "<domain type='qemu'><name>m</name><memory>1024</memory><vcpu>1</vcpu>"
        + "<os><type>hvm</type></os><metadata>%s</metadata></domain>";
    String noReason = "<n:plan xmlns:n='" + RecordedPlan.NAMESPACE + "' guest='m'>"
        + "<n:nic index='0' technology='virtio'/></n:plan>";
    String otherVersion = "<n:plan xmlns:n='https://niovirt.org/xmlns/plan/2' guest='m'>"
        + "<n:nic index='0' technology='virtio'><n:reason>r</n:reason></n:nic></n:plan>";
    String badIndex = "<n:plan xmlns:n='" + RecordedPlan.NAMESPACE + "' guest='m'>"
        + "<n:nic index='first' technology='virtio'><n:reason>r</n:reason></n:nic></n:plan>";
    String otherPrefix = "<x:plan xmlns:x='" + RecordedPlan.NAMESPACE + "' guest='m'>"
        + "<x:nic index='0' technology='virtio'><x:reason>r</x:reason></x:nic></x:plan>";

    assertThat(DomainXmlCodec.unmarshal(String.format(base, noReason)).recordedPlan()).isEmpty();
    assertThat(DomainXmlCodec.unmarshal(String.format(base, otherVersion)).recordedPlan()).isEmpty();
    assertThat(DomainXmlCodec.unmarshal(String.format(base, badIndex)).recordedPlan()).isEmpty();
    assertThat(DomainXmlCodec.unmarshal(String.format(base, otherPrefix)).recordedPlan())
        .hasValueSatisfying(plan -> assertThat(plan.nics()).extracting(RecordedNic::reason).containsExactly("r"));
  }
}

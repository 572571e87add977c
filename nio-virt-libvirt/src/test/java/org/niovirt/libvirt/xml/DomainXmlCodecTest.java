package org.niovirt.libvirt.xml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.plan.Verdict.Outcome;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.testing.Goldens;
import org.niovirt.libvirt.testing.LibvirtSchema;

class DomainXmlCodecTest {
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static List<String> goldenFiles() throws IOException {
    try (Stream<Path> files = Files.list(GOLDEN)) {
      return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".xml")).sorted()
          .collect(Collectors.toList());
    }
  }

  @ParameterizedTest
  @MethodSource("goldenFiles")
  void goldenFileSurvivesXmlToModelToXml(String name) throws IOException {
    String xml = Files.readString(GOLDEN.resolve(name), StandardCharsets.UTF_8);

    DomainXml model = DomainXmlCodec.unmarshal(xml);

    assertThat(DomainXmlCodec.marshal(model)).isEqualTo(xml);
    assertThat(DomainXmlCodec.unmarshal(DomainXmlCodec.marshal(model))).isEqualTo(model);
    LibvirtSchema.assertValidDomain(xml);
  }

  /** Every element and attribute the model holds, so the golden round trip covers all of them. */
  static DomainXml everyModelledElement() {
    return DomainXml.builder().type("qemu").name("full").uuid("0f6c7a8e-2b1d-4c3e-9a5f-6b7c8d9e0f12")
        .description("all parts & \"quotes\" <escaped>")
        .recordedPlan(RecordedPlan.builder().guestName("full")
            .addNic(RecordedNic.builder().nicIndex(0).technology(Technology.VIRTIO)
                .reason("requested virtio & <nothing> else").build())
            .addNic(RecordedNic.builder().nicIndex(1).technology(Technology.SRIOV)
                .addDevice(PciAddress.parse("0000:01:10.4")).reason("free VF of eth3 'x'")
                .addVerdict(Verdict.of(Technology.SRIOV, Outcome.CHOSEN, "free VF of eth3 'x'"))
                .addVerdict(Verdict.of(Technology.VTD, Outcome.FEASIBLE, "group 9 is \"clean\""))
                .addVerdict(Verdict.of(Technology.VIRTIO, Outcome.EXCLUDED, "")).build())
            .addNic(RecordedNic.builder().nicIndex(3).technology(Technology.VTD)
                .addDevices(PciAddress.parse("0000:02:00.0"), PciAddress.parse("0000:02:00.1"))
                .reason("whole function").addVerdict(Verdict.of(Technology.SRIOV, Outcome.REJECTED,
                    "no SR-IOV capability")).build())
            .build())
        .memoryKiB(524288).vcpus(2)
        .os(OsXml.builder().arch("x86_64").machine("pc-q35-7.2").kernel("/boot/vmlinuz")
            .initrd("/boot/initrd").cmdline("console=ttyS0").addBootDevices("hd", "network").build())
        .addFeatures("acpi", "apic")
        .onPoweroff("destroy").onReboot("restart").onCrash("destroy")
        .devices(DevicesXml.builder().emulator("/usr/bin/qemu-system-x86_64")
            .addDisk(DiskXml.builder().format("raw").sourceFile("/img/full.raw").targetDevice("vda")
                .targetBus("virtio").build())
            .addInterface(InterfaceXml.builder().source(NetworkSourceXml.of("default"))
                .mac("52:54:00:00:00:aa").model("virtio").targetDevice("vnet7")
                .driver(InterfaceDriverXml.builder().queues(4).build()).build())
            .addInterface(InterfaceXml.builder().source(HostdevSourceXml.of(
                PciAddressXml.of(PciAddress.parse("0000:01:10.4")), true))
                .addVlanTags(10, 20).build())
            .addInterface(InterfaceXml.builder().source(DirectSourceXml.of("eth1", "vepa"))
                .driver(InterfaceDriverXml.builder().name("vhost").build()).model("virtio").build())
            .addSerial(CharDeviceXml.file("/var/log/full.log"))
            .addConsole(CharDeviceXml.builder().type("file").sourcePath("/var/log/full.log")
                .targetType("serial").targetPort(0).build())
            .addHostdev(HostdevXml.builder().managed(false)
                .source(PciAddressXml.of(PciAddress.parse("0000:02:00.1"))).build())
            .build())
        .build();
  }

  @Test
  void theFullGoldenFileIsWhatTheModelWithEveryElementMarshalsTo() throws IOException {
    Goldens.assertMatches("codec-every-element.xml", DomainXmlCodec.marshal(everyModelledElement()));

    assertThat(DomainXmlCodec.unmarshal(Goldens.read("codec-every-element.xml"))).isEqualTo(everyModelledElement());
  }

  @Test
  void readsTheLiveXmlLibvirtReturnsIncludingElementsItAdds() throws IOException {
    String live = Files.readString(Path.of("src/test/resources/libvirt-readback/test-driver-live.xml"));

    DomainXml model = DomainXmlCodec.unmarshal(live);

    assertThat(model.type()).isEqualTo("qemu");
    assertThat(model.memoryKiB()).isEqualTo(65536);
    assertThat(model.hostPciDevices()).containsExactly(
        PciAddress.parse("0000:01:10.0"), PciAddress.parse("0000:02:00.0"));
    InterfaceXml vf = model.devices().interfaces().get(0);
    assertThat(vf.type()).isEqualTo("hostdev");
    assertThat(vf.mac()).contains("52:54:00:00:00:01");
    assertThat(vf.vlanTags()).containsExactly(10);
    assertThat(vf.targetDevice()).contains("testnet0");
    assertThat(model.devices().consoles()).hasSize(1);
    assertThat(model.devices().consoles().get(0).targetType()).contains("serial");
  }

  @Test
  void memoryInOtherUnitsIsConvertedToKiB() {
    String xml = "<domain type='qemu'><name>m</name><memory unit='GiB'>2</memory><vcpu>1</vcpu>"
        + "<os><type>hvm</type></os></domain>";

    assertThat(DomainXmlCodec.unmarshal(xml).memoryKiB()).isEqualTo(2L * 1024 * 1024);
  }

  @Test
  void brokenInputNamesWhatIsWrong() {
    assertThatThrownBy(() -> DomainXmlCodec.unmarshal("<domain type='qemu'><name>x</name></domain>"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("domain/memory");
    assertThatThrownBy(() -> DomainXmlCodec.unmarshal("<domain"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("well-formed XML");
    assertThatThrownBy(() -> DomainXmlCodec.unmarshal(
        "<domain type='qemu'><name>x</name><memory unit='parsec'>1</memory></domain>"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("domain/memory@unit")
        .hasMessageContaining("parsec");
  }

  @Test
  void doctypeAndExternalEntitiesAreRefused() {
    String xxe = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
        + "<domain type='qemu'><name>&e;</name></domain>";

    assertThatThrownBy(() -> DomainXmlCodec.unmarshal(xxe))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("DOCTYPE");
  }
}

package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.testing.Goldens;
import org.niovirt.libvirt.testing.LibvirtSchema;
import org.niovirt.libvirt.testing.Plans;
import org.niovirt.libvirt.xml.DomainXml;
import org.niovirt.libvirt.xml.DomainXmlCodec;

class DomainXmlWriterTest {
  static final UUID FIXED_UUID = UUID.fromString("5b1d3b0e-6c4a-4c41-9d1e-2f4f1a0c9e01");
  static final AcceleratorChoice TCG = AcceleratorChoice.resolve(Accelerator.QEMU, false);

  static GuestSpec kernelGuest(String name) {
    return GuestSpec.builder().name(name).uuid(FIXED_UUID).memoryMiB(256).vcpus(2)
        .boot(BootSource.kernel().kernel(Path.of("/var/lib/nio-virt/guest/vmlinuz"))
            .initrd(Path.of("/var/lib/nio-virt/guest/initramfs.gz"))
            .cmdline("console=ttyS0 quiet niovirt.nics=1").build())
        .serialLog(Path.of("/var/log/nio-virt/" + name + ".console.log"))
        .accelerator(Accelerator.QEMU)
        .build();
  }

  static VirtioNic virtio(int index, VirtioAttachment attachment, String mac, int queues, boolean vhost) {
    return VirtioNic.builder().nicIndex(index).attachment(attachment).queues(queues).vhost(vhost)
        .mac(mac == null ? java.util.Optional.empty() : java.util.Optional.of(MacAddress.parse(mac)))
        .reason("test").build();
  }

  @Test
  void virtioGuestWithDirectKernelBootMatchesGoldenFileAndSchema() throws IOException {
    GuestNetworkPlan plan = Plans.of("web1",
        virtio(0, VirtioAttachment.network("default"), "52:54:00:12:34:56", 2, true));

    String xml = TestXml.write(kernelGuest("web1"), plan, TCG);

    Goldens.assertMatches("writer-virtio-kernel.xml", xml);
    LibvirtSchema.assertValidDomain(xml);
  }

  @Test
  void everyKindOfNicMatchesGoldenFileAndSchema() throws IOException {
    GuestSpec spec = GuestSpec.builder().name("mixed").uuid(FIXED_UUID).memoryMiB(2048).vcpus(4)
        .boot(BootSource.disk(Path.of("/var/lib/libvirt/images/mixed.qcow2"), DiskFormat.QCOW2))
        .accelerator(Accelerator.KVM)
        .build();
    GuestNetworkPlan plan = Plans.of("mixed",
        virtio(0, VirtioAttachment.bridge("br0"), null, 1, false),
        virtio(1, VirtioAttachment.direct("eth1"), "52:54:00:00:00:02", 4, false),
        SriovNic.builder().nicIndex(2).physicalFunction(PciAddress.parse("0000:01:00.0"))
            .physicalFunctionNetdev("eth3").virtualFunction(PciAddress.parse("0000:01:10.2"))
            .vfIndex(1).vfExists(true).requiredNumVfs(2).vlan(OptionalInt.of(42))
            .mac(MacAddress.parse("52:54:00:00:00:03")).reason("test").build(),
        PassthroughNic.builder().nicIndex(3).function(PciAddress.parse("0000:02:00.0")).iommuGroup(8)
            .addGroupCompanion(PciAddress.parse("0000:02:00.1")).reason("test").build(),
        virtio(4, VirtioAttachment.user(), null, 1, false));

    String xml = TestXml.write(spec, plan, AcceleratorChoice.resolve(Accelerator.KVM, false));

    Goldens.assertMatches("writer-every-nic.xml", xml);
    LibvirtSchema.assertValidDomain(xml);
    assertThat(DomainXmlCodec.unmarshal(xml).hostPciDevices()).containsExactly(
        PciAddress.parse("0000:01:10.2"), PciAddress.parse("0000:02:00.0"), PciAddress.parse("0000:02:00.1"));
  }

  @Test
  void valuesWithXmlSpecialCharactersAreEscapedAndSurviveTheRoundTrip() {
    String cmdline = "console=ttyS0 a=\"<b>\" c='d&e' f=]]>";
    GuestSpec spec = GuestSpec.builder().name("esc").memoryMiB(64)
        .boot(BootSource.kernel().kernel(Path.of("/tmp/k&<'\">/vmlinuz")).cmdline(cmdline).build())
        .serialLog(Path.of("/tmp/a&b'c\"d<e>.log")).accelerator(Accelerator.QEMU).build();

    String xml = TestXml.write(spec, Plans.of("esc",
        virtio(0, VirtioAttachment.network("net&<'\""), null, 1, false)), TCG);

    DomainXml back = DomainXmlCodec.unmarshal(xml);
    assertThat(back.os().cmdline()).contains(cmdline);
    assertThat(back.os().kernel()).contains("/tmp/k&<'\">/vmlinuz");
    assertThat(back.devices().serials().get(0).sourcePath()).contains("/tmp/a&b'c\"d<e>.log");
    assertThat(xml).doesNotContain("<b>").contains("&lt;b&gt;");
    LibvirtSchema.assertValidDomain(xml);
  }

  @Test
  void controlCharactersAreRejectedNamingTheField() {
    GuestSpec spec = GuestSpec.builder().name("ctl").memoryMiB(64)
        .boot(BootSource.kernel().kernel(Path.of("/tmp/vmlinuz")).cmdline("console=ttyS0\u0001").build())
        .build();

    assertThatThrownBy(() -> TestXml.write(spec, Plans.of("ctl"), TCG))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("cmdline").hasMessageContaining("U+0001");
  }

  @Test
  void planOfAnotherGuestIsRefused() {
    assertThatThrownBy(() -> TestXml.write(kernelGuest("web1"), Plans.of("web2"), TCG))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("plan.guestName").hasMessageContaining("web2");
  }

  @Test
  void withoutSerialLogTheConsoleIsAPty() {
    GuestSpec spec = GuestSpec.builder().name("pty").memoryMiB(64)
        .boot(BootSource.disk(Path.of("/img.raw"), DiskFormat.RAW)).build();

    DomainXml xml = DomainXmlWriter.toModel(spec, Plans.of("pty"), TCG);

    assertThat(xml.devices().serials()).hasSize(1);
    assertThat(xml.devices().serials().get(0).type()).isEqualTo("pty");
    assertThat(xml.devices().disks().get(0).format()).isEqualTo("raw");
  }

  @Test
  void autoAcceleratorIsQemuUnlessKvmIsDeclaredToWork() {
    AcceleratorChoice undeclared = AcceleratorChoice.resolve(Accelerator.AUTO, false);
    AcceleratorChoice declared = AcceleratorChoice.resolve(Accelerator.AUTO, true);

    assertThat(undeclared.chosen()).isEqualTo(Accelerator.QEMU);
    assertThat(undeclared.reason()).contains(AcceleratorChoice.KVM_KNOWN_TO_WORK_ENV);
    assertThat(declared.chosen()).isEqualTo(Accelerator.KVM);
    assertThat(AcceleratorChoice.resolve(Accelerator.KVM, false).chosen()).isEqualTo(Accelerator.KVM);
    assertThat(DomainXmlWriter.toModel(kernelGuest("a"), Plans.of("a"), undeclared).type()).isEqualTo("qemu");
  }
}

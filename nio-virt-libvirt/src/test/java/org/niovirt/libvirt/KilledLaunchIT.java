package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.niovirt.libvirt.testing.RealGuest;
import org.niovirt.libvirt.xml.LaunchMark;

/**
 * Acceptance for launchers killed at every phase against the real libvirtd (qemu:///system): the
 * next reconcile leaves no defined-but-never-started domain behind, whether the launcher died
 * before, during or after libvirt's define or start, and whenever libvirtd finished the call.
 * Skipped like {@link QemuGuestBootIT} only when no libvirtd answers and CI did not require one.
 * On the project's machines libvirtd re-probes QEMU on every define and start (about 30 s each,
 * since /dev/kvm exists but is unusable), so a "during" kill lands inside libvirt's call.
 */
class KilledLaunchIT {
  private static LibvirtHost host;
  private static Path guestDir;
  private static Path kernel;
  private static Path initrd;
  private static Path state;

  @BeforeAll
  static void connect() throws Exception {
    host = QemuGuestBootIT.connectOrSkip();
    guestDir = RealGuest.worldReadableDirectory();
    Map<String, String> image = RealGuest.guestImage();
    kernel = RealGuest.copy(Path.of(image.get("NIOVIRT_GUEST_KERNEL")), guestDir.resolve("vmlinuz"));
    initrd = RealGuest.copy(Path.of(image.get("NIOVIRT_GUEST_INITRD")), guestDir.resolve("initramfs.gz"));
    state = Files.createTempDirectory("nio-virt-killed-state");
    host.close();
    host = LibvirtHost.connect(QemuGuestBootIT.URI, LibvirtHostOptions.builder().stateDirectory(state)
        .kvmKnownToWork(false).build());
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (host != null) {
      host.close();
    }
    if (guestDir != null) {
      RealGuest.deleteTree(guestDir);
      RealGuest.deleteTree(state);
    }
  }

  @ParameterizedTest(name = "killed {1} {0}")
  @CsvSource({
      "HOST_PREPARED, at", "DEFINING, at", "DEFINING, during", "DEFINED, at",
      "STARTING, during", "STARTED, at"})
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void theNextReconcileLeavesNoUnfinishedDomain(LaunchPhase phase, String when) throws Exception {
    String name = "niovirt-killed-" + phase.name().toLowerCase() + "-" + when;
    try {
      Process child = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), KilledRealLauncherMain.class.getName(),
          QemuGuestBootIT.URI, state.toString(), phase.name(), when, name, kernel.toString(), initrd.toString()))
          .redirectErrorStream(true).start();
      String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
      assertThat(child.exitValue()).as(output).isEqualTo(KilledRealLauncherMain.KILLED_EXIT_STATUS);
      // libvirtd may still be finishing the dead launcher's call: the record must cope either way.
      Thread.sleep(1000);

      List<String> report = host.reconcile();
      System.out.println("killed-launch: " + name + ": " + report);

      Optional<GuestSummary> left = host.list().stream().filter(g -> g.name().equals(name)).findFirst();
      if (left.isPresent()) {
        assertThat(left.get().state().active()).as("a domain that was kept must run: " + report).isTrue();
        assertThat(LaunchMark.isPending(host.xml(name))).as("its launch mark is cleared").isFalse();
      }
      if (phase == LaunchPhase.HOST_PREPARED || (phase == LaunchPhase.DEFINING && when.equals("at"))
          || phase == LaunchPhase.DEFINED || (phase == LaunchPhase.STARTING && when.equals("at"))) {
        assertThat(left).as("never started, so undone: " + report).isEmpty();
      }
      if (phase == LaunchPhase.STARTED) {
        assertThat(left).as("started before the kill, so kept").isPresent();
      }
    } finally {
      RealGuest.removeGuest(host, name);
    }
  }

  @org.junit.jupiter.api.Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aDefineLibvirtdFinishesAfterTheLauncherDiedIsUndoneByItsMark() throws Exception {
    String name = "niovirt-killed-late-define";
    try {
      // The launcher dies just before its define reaches libvirtd...
      Process child = new ProcessBuilder(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), KilledRealLauncherMain.class.getName(),
          QemuGuestBootIT.URI, state.toString(), LaunchPhase.DEFINING.name(), "at", name,
          kernel.toString(), initrd.toString())).redirectErrorStream(true).start();
      child.getInputStream().readAllBytes();
      assertThat(child.waitFor(2, TimeUnit.MINUTES)).isTrue();
      // A virtio launch changes nothing on the host, so it keeps no journal: the mark is the record.
      List<String> first = host.reconcile();
      assertThat(first).noneMatch(line -> line.startsWith(name + ":"));
      assertThat(state.resolve("launches")).satisfiesAnyOf(dir -> assertThat(dir).doesNotExist(),
          dir -> assertThat(dir).isEmptyDirectory());

      // ...and libvirtd completes it afterwards: the domain carries the mark the launcher wrote.
      String xml = DomainXmlWriter.write(GuestSpec.builder().name(name).memoryMiB(128).vcpus(1)
          .boot(BootSource.kernel().kernel(kernel).initrd(initrd).build()).accelerator(Accelerator.QEMU).build(),
          org.niovirt.api.NetworkIoPlanner.create().plan(NodeDeviceInventory.read(host),
              org.niovirt.api.request.GuestNetworkRequest.builder().guestName(name).vcpus(1)
                  .addNic(org.niovirt.api.request.NicRequest.builder()
                      .virtioAttachment(org.niovirt.api.request.VirtioAttachment.user()).build()).build(),
              host.deviceUsage()),
          AcceleratorChoice.resolve(Accelerator.QEMU, false));
      host.connection().domainDefineXML(LaunchMark.mark(xml, org.niovirt.libvirt.testing.TestHosts.deadPid()));

      List<String> second = host.reconcile();

      assertThat(second).anyMatch(line -> line.startsWith(name + ": undefined (its launch never finished"));
      assertThat(host.list().stream().map(GuestSummary::name)).doesNotContain(name);
    } finally {
      RealGuest.removeGuest(host, name);
    }
  }
}

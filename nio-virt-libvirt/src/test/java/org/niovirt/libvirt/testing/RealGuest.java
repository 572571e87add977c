package org.niovirt.libvirt.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.libvirt.LibvirtException;
import org.libvirt.Network;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.DomainState;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtOperationException;
import org.niovirt.libvirt.NodeDeviceInventory;

/**
 * A real guest on a real libvirtd: the image scripts/build-guest-image.sh makes from Debian
 * packages, booted from nio-virt's own domain XML under TCG, and its serial console read to prove
 * it sees a virtio NIC with the planned MAC and queues. The host's files (kernel, initrd, console)
 * are placed under {@code hostRoot}: {@code /} here, or a remote host's root over SFTP.
 */
public final class RealGuest {
  private static final Path SCRIPTS = Path.of("..", "scripts").toAbsolutePath().normalize();
  private static final Pattern NIC_LINE = Pattern.compile(
      "nio-virt-guest: nic=(\\S+) driver=(\\S+) mac=(\\S+) pci=(\\S+) pci_id=(\\S+) rx_queues=(\\d+) tx_queues=(\\d+)");
  private static final long BOOT_TIMEOUT_SECONDS = 300;

  private RealGuest() {}

  /** Launches a guest with one virtio NIC through {@code host} and checks what it saw. */
  public static void bootsWithItsVirtioNic(LibvirtHost host, Path hostRoot) throws Exception {
    Path guestDir = worldReadableDirectory(hostRoot);
    Map<String, String> image = guestImage();
    Path kernel = copy(Path.of(image.get("NIOVIRT_GUEST_KERNEL")), guestDir.resolve("vmlinuz"));
    Path initrd = copy(Path.of(image.get("NIOVIRT_GUEST_INITRD")), guestDir.resolve("initramfs.gz"));
    Path console = guestDir.resolve("console.log");

    String name = "niovirt-it-" + Long.toHexString(System.nanoTime());
    MacAddress mac = MacAddress.parse(String.format("52:54:00:%02x:%02x:%02x",
        ThreadLocalRandom.current().nextInt(256), ThreadLocalRandom.current().nextInt(256),
        ThreadLocalRandom.current().nextInt(256)));
    VirtioAttachment attachment = activeNetwork(host, "default")
        .map(VirtioAttachment::network).orElseGet(VirtioAttachment::user);
    GuestSpec spec = GuestSpec.builder().name(name).memoryMiB(256).vcpus(2)
        .boot(BootSource.kernel().kernel(onHost(kernel)).initrd(onHost(initrd))
            .cmdline("console=ttyS0 niovirt.nics=1 panic=-1").build())
        .serialLog(onHost(console))
        .accelerator(Accelerator.QEMU)
        .build();
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName(name).vcpus(2)
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).addMac(mac).virtioAttachment(attachment).build())
        .build();
    HostInventory inventory = NodeDeviceInventory.read(host);

    LaunchedGuest guest = host.launch(spec, NetworkIoPlanner.create(), inventory, request);
    try {
      System.out.println("e2e: launched " + name + " on " + host.uri() + " (" + attachment.describe()
          + ", accelerator " + guest.accelerator().chosen() + ") with domain XML:\n" + guest.domainXml());
      assertThat(host.domainXml(name).type()).isEqualTo("qemu");
      String log = awaitConsole(host, name, console);

      List<String> nicLines = log.lines().filter(l -> NIC_LINE.matcher(l).find()).collect(Collectors.toList());
      nicLines.forEach(line -> System.out.println("e2e: guest console: " + line.trim()));
      assertThat(nicLines).as("NIC lines on the console:\n%s", log).hasSize(1);
      Matcher nic = NIC_LINE.matcher(nicLines.get(0));
      assertThat(nic.find()).isTrue();
      assertThat(nic.group(2)).as("guest driver").isEqualTo("virtio_net");
      assertThat(nic.group(3)).as("guest MAC").isEqualTo(mac.value());
      assertThat(nic.group(5)).as("PCI id").startsWith("1af4:");
      assertThat(nic.group(6)).as("rx queues (multiqueue from 2 vCPUs)").isEqualTo("2");
    } finally {
      try {
        removeGuest(host, name);
      } finally {
        deleteTree(guestDir);
      }
    }
  }

  /** The path as the host sees it (a remote root's path is absolute on that host). */
  private static Path onHost(Path path) {
    return Path.of(path.toString());
  }

  public static void deleteTree(Path dir) throws IOException {
    try (var files = Files.walk(dir)) {
      for (Path path : files.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** libvirt's QEMU runs as its own user: it must be able to reach the kernel and the console file. */
  public static Path worldReadableDirectory() throws IOException {
    return worldReadableDirectory(Path.of("/"));
  }

  /** A fresh directory under the host's /tmp that QEMU's user can read. */
  public static Path worldReadableDirectory(Path hostRoot) throws IOException {
    Path dir = Files.createTempDirectory(hostRoot.resolve("tmp"), "nio-virt-it-");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return dir;
  }

  public static Path copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
    return to;
  }

  /** The cached guest image, built (once) by the project's script from Debian packages. */
  public static Map<String, String> guestImage() throws IOException, InterruptedException {
    Path script = SCRIPTS.resolve("build-guest-image.sh");
    Process process = new ProcessBuilder(List.of("bash", script.toString()))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      fail(script + " failed (see its output above): " + output);
    }
    Map<String, String> values = new HashMap<>();
    output.lines().filter(l -> l.contains("=")).forEach(l -> values.put(
        l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
    assertThat(values).containsKeys("NIOVIRT_GUEST_KERNEL", "NIOVIRT_GUEST_INITRD");
    return values;
  }

  private static Optional<String> activeNetwork(LibvirtHost host, String name) {
    try {
      Network network = host.connection().networkLookupByName(name);
      return network.isActive() == 1 ? Optional.of(name) : Optional.empty();
    } catch (LibvirtException e) {
      return Optional.empty();
    }
  }

  /** Waits for the guest's last report line (it powers off after it); returns the console text. */
  private static String awaitConsole(LibvirtHost host, String name, Path console) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(BOOT_TIMEOUT_SECONDS);
    String log = "";
    while (System.nanoTime() < deadline) {
      log = Files.exists(console) ? Files.readString(console, StandardCharsets.UTF_8) : "";
      if (log.contains("nio-virt-guest: done")) {
        return log;
      }
      if (host.state(name) == DomainState.SHUT_OFF) {
        fail("the guest stopped before reporting its NICs; console:\n" + log);
      }
      Thread.sleep(500);
    }
    fail("no 'nio-virt-guest: done' on the console within " + BOOT_TIMEOUT_SECONDS + " s; console:\n" + log);
    return log;
  }

  public static void removeGuest(LibvirtHost host, String name) {
    try {
      if (host.state(name).active()) {
        try {
          host.destroy(name);
        } catch (LibvirtOperationException e) {
          // The guest powers itself off after its report: it may have stopped since the check.
          if (host.state(name).active()) {
            throw e;
          }
        }
      }
      host.undefine(name);
    } catch (LibvirtOperationException e) {
      if (!e.isNoDomain()) {
        throw e;
      }
    }
  }

}

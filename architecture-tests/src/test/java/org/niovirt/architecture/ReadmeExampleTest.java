package org.niovirt.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.DomainState;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.LibvirtHost;

/** Keeps the README's embedding example honest: the same lines are compiled and run here. */
class ReadmeExampleTest {
  private static final Path README = Path.of(System.getProperty("niovirt.root", ".."), "README.md");

  /** The README example; between the markers, these lines are the README's, character for character. */
  static LaunchedGuest embeddingExample() {
    // readme:start
    HostInventory inventory = HostDetector.forRoot(Path.of("/")).detect();
    NetworkIoPlanner planner = NetworkIoPlanner.create(); // virtio, vtd, sriov via ServiceLoader
    GuestNetworkRequest request = GuestNetworkRequest.builder()
        .guestName("web1").vcpus(2)
        .addNic(NicRequest.builder().count(1).build())
        .build();
    GuestSpec spec = GuestSpec.builder()
        .name("web1").vcpus(2).memoryMiB(512)
        .boot(BootSource.kernel().kernel(Path.of("/var/cache/nio-virt/guest/vmlinuz")).build())
        .build();
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI)) { // in-process test driver
      LaunchedGuest guest = host.launch(spec, planner, inventory, request);
      System.out.print(guest.plan().explain());
      System.out.println(guest.domainXml());
      System.out.println("state: " + host.state("web1"));
      return guest;
    }
    // readme:end
  }

  @Test
  void theReadmeShowsExactlyTheseLines() throws IOException {
    String readme = Files.readString(README);
    String block = readme.substring(
        readme.indexOf("<!-- embedding-example:start -->"), readme.indexOf("<!-- embedding-example:end -->"));
    List<String> readmeLines = block.lines()
        .filter(l -> !l.startsWith("<!--") && !l.startsWith("```"))
        .collect(Collectors.toList());
    assertThat(readmeLines).isEqualTo(linesOfTheExampleAbove());
  }

  @Test
  void theExampleRunsAndLaunchesAGuest() {
    LaunchedGuest guest = embeddingExample();
    assertThat(guest.state()).isEqualTo(DomainState.RUNNING);
    assertThat(guest.plan().assignments()).hasSize(1);
    assertThat(guest.domainXml()).contains("<name>web1</name>");
  }

  private static List<String> linesOfTheExampleAbove() throws IOException {
    Path source = Path.of("src/test/java", ReadmeExampleTest.class.getName().replace('.', '/') + ".java");
    List<String> lines = Files.readAllLines(source);
    int start = indexOf(lines, "// readme:start") + 1;
    int end = indexOf(lines, "// readme:end");
    String indent = "    ";
    return lines.subList(start, end).stream()
        .map(l -> l.startsWith(indent) ? l.substring(indent.length()) : l)
        .collect(Collectors.toList());
  }

  private static int indexOf(List<String> lines, String marker) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError("marker missing: " + marker + " in " + Arrays.toString(lines.toArray()));
  }
}

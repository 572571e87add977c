package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.cli.CliRun.capture;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged or hostile host tree is a problem of the host, reported as such: never a usage error,
 * never raw control characters on the terminal, and never the management NIC given away because
 * the route table could not be read.
 */
class HostTreeProblemsCliTest {
  private static final String PF = "sys/bus/pci/devices/0000:01:00.0";
  @TempDir Path temp;
  Path root;

  @BeforeEach
  void unpackD1() throws Exception {
    root = Files.createDirectory(temp.resolve("d1"));
    Process tar = new ProcessBuilder("tar", "-xzf", Path.of(capture("d1-vtd-sriov-dual")).toAbsolutePath().toString(),
        "-C", root.toString()).inheritIO().start();
    assertThat(tar.waitFor()).isZero();
  }

  @Test
  void controlCharactersInTheTreeAreEscapedAndPlanningStillWorks() throws IOException {
    Path pf = root.resolve(PF).toRealPath();
    Files.write(pf.resolve("sriov_totalvfs"), new byte[] {0x01, 0x1b, '[', '2', 'J'});
    Files.move(pf.resolve("net/eth3"), pf.resolve("net/e\u001b[31mvil"));

    CliRun inventory = CliRun.of("inventory", "--root", root.toString());
    CliRun plan = CliRun.of("plan", "--root", root.toString());

    assertThat(inventory.exitCode()).as(inventory.toString()).isZero();
    assertThat(plan.exitCode()).as("a host problem is no usage error: " + plan).isZero();
    for (CliRun run : List.of(inventory, plan)) {
      assertThat(run.out() + run.err()).doesNotContain("\u001b").doesNotContain("\u0001");
    }
    assertThat(inventory.out()).contains("e\\x1b[31mvil", "\\x01\\x1b[2J");
    assertThat(plan.out()).contains("nic 0 -> SRIOV");
  }

  @Test
  void withoutARouteTableNoNicThatMayCarryTrafficIsPassedThrough() throws IOException {
    Files.delete(root.resolve("proc/net/route"));

    CliRun plan = CliRun.of("plan", "--root", root.toString(), "--pin", "vtd");

    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(3);
    assertThat(plan.err()).contains("0000:00:03.0 (eth0, virtio-pci) is the host's management NIC"
        + " (perhaps: proc/net/route is missing or unreadable, so the default route is unknown");
    assertThat(CliRun.of("inventory", "--root", root.toString()).out())
        .contains("UNKNOWN: proc/net/route is missing or unreadable");
  }

  @Test
  void aDamagedRouteTableIsJustAsCareful() throws IOException {
    Files.writeString(root.resolve("proc/net/route"), "garbage\n00000000 0 0\n");

    CliRun plan = CliRun.of("plan", "--root", root.toString(), "--pin", "vtd", "--format", "json");

    assertThat(plan.exitCode()).as(plan.toString()).isEqualTo(3);
    assertThat(plan.err()).contains("0000:00:03.0 (eth0, virtio-pci) is the host's management NIC (perhaps:");
  }

  @Test
  void aGzipOfPlainTextIsRefusedAsNoTarArchive() throws IOException {
    Path notes = temp.resolve("notes.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(notes))) {
      out.write("these are notes\n".getBytes(StandardCharsets.UTF_8));
    }

    CliRun run = CliRun.of("inventory", "--root", notes.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.errorLines()).first().asString().contains("not a tar archive");
  }
}

package org.niovirt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.niovirt.detect.lab.LabHostProfile;

/**
 * The fleet case of a lab host ({@code fleet = true}): QEMU forwards a free port of this machine's
 * 127.0.0.1 to the emulated host's sshd; when the host says {@code fleet: ready}, this machine plans
 * a guest over the fleet {this machine, the emulated host} and launches it there over SSH
 * ({@code qemu+ssh://root@127.0.0.1:PORT/system}), then tells the host through its out folder.
 * The emulated host's key is added to known_hosts first, explicitly (host keys stay checked); the
 * login key is made for the run, so the lab needs no SSH setup of this machine.
 */
final class LabFleet {
  private static final String GUEST = "lab-fleet";
  private static final String IMAGE = "/var/cache/nio-virt/guest";
  private final LabHostProfile profile;
  private final Path project;
  private final Path results;
  private final int port;
  private Thread worker;
  private volatile Throwable failure;

  /** A key made for this run: the lab needs no key of the machine's own. */
  private final Path key;

  LabFleet(LabHostProfile profile, Path project, Path results) throws IOException {
    this.profile = profile;
    this.project = project;
    this.results = results;
    try (ServerSocket free = new ServerSocket(0)) {
      this.port = free.getLocalPort();
    }
    this.key = Files.createTempDirectory("nio-virt-lab-fleet").resolve("id_ed25519");
    try {
      Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "nio-virt-lab-fleet",
          "-f", key.toString()).redirectErrorStream(true).start();
      assertThat(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0).as("ssh-keygen for the fleet case")
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while making the fleet key", e);
    }
  }

  static boolean wanted(LabHostProfile profile) {
    return profile.value("fleet").filter("true"::equals).isPresent();
  }

  /** What run-host.sh needs for the port forward and the login key. */
  Map<String, String> environment() {
    return Map.of("LAB_SSH_PORT", Integer.toString(port), "LAB_SSH_KEY", key + ".pub");
  }

  /** Watches the host's console; the fleet commands run on their own thread (QEMU's output must flow). */
  synchronized void onLine(String line) {
    if (worker == null && line.contains(profile.name() + ": fleet: ready")) {
      worker = new Thread(this::work, "lab-fleet");
      worker.start();
    }
  }

  private void work() {
    String verdict = "failed";
    try {
      trustHostKey();
      Path fleet = Files.writeString(results.resolve("fleet.yaml"), "hosts:\n"
          + "  - name: this-machine\n    uri: qemu:///system\n"
          + "  - name: " + profile.name() + "\n    uri: qemu+ssh://root@127.0.0.1:" + port + "/system?keyfile=" + key
          + "\n");
      String mac = profile.value("fleet.mac").orElseThrow();
      nioVirt("plan-fleet.json", "plan", "--fleet", fleet.toString(), "--name", GUEST, "--mac", mac,
          "--format", "json");
      nioVirt("launch-fleet.json", "launch", "--fleet", fleet.toString(), "--name", GUEST, "--mac", mac,
          "--accel", "qemu", "--memory", "256", "--serial-log", "/var/log/nio-virt/" + GUEST + ".console",
          "--kernel", IMAGE + "/vmlinuz", "--initrd", IMAGE + "/initramfs.gz",
          "--cmdline", "console=ttyS0 panic=-1 niovirt.nics=1 quiet", "--format", "json");
      verdict = "ok";
    } catch (Throwable e) {
      failure = e;
      verdict = "failed: " + e.getMessage();
    } finally {
      try {
        Files.writeString(results.resolve("fleet-done"), verdict + "\n");
      } catch (IOException e) {
        failure = failure != null ? failure : e;
      }
    }
  }

  private void trustHostKey() throws Exception {
    Process scan = new ProcessBuilder("ssh-keyscan", "-p", Integer.toString(port), "127.0.0.1")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String keys = new String(scan.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(scan.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(keys).as("ssh-keyscan of the emulated host on port %d", port).isNotBlank();
    Path sshDirectory = Path.of(System.getProperty("user.home"), ".ssh");
    if (!Files.isDirectory(sshDirectory)) {
      Files.createDirectories(sshDirectory, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
          java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
    }
    Files.writeString(sshDirectory.resolve("known_hosts"), keys, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
  }

  private void nioVirt(String output, String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(project.resolve("nio-virt").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command)
        .redirectOutput(results.resolve(output).toFile())
        .redirectError(results.resolve(output + ".err").toFile()).start();
    assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("nio-virt %s in time", arguments[0]).isTrue();
    assertThat(process.exitValue()).as("nio-virt %s: %s", String.join(" ", arguments),
        Files.readString(results.resolve(output + ".err"))).isZero();
  }

  /** After the host finished: what this machine saw, and the guest's report from the host. */
  void check() throws Exception {
    if (worker != null) {
      worker.join(TimeUnit.MINUTES.toMillis(20));
    }
    assertThat(worker).as("%s never said 'fleet: ready'", profile.name()).isNotNull();
    if (failure != null) {
      throw new AssertionError("the fleet commands failed", failure);
    }
    ObjectMapper json = new ObjectMapper();
    JsonNode plan = json.readTree(results.resolve("plan-fleet.json").toFile());
    assertThat(plan.path("host").asText()).as("plan --fleet placement").isEqualTo(profile.name());
    String technology = plan.path("nics").path(0).path("technology").asText();
    assertThat(technology).isEqualTo("sriov");
    String whyNotHere = plan.path("hosts").findValuesAsText("reason").stream()
        .filter(r -> !r.startsWith("chosen")).collect(Collectors.joining("; "));
    assertThat(whyNotHere).as("why this machine was refused").contains("would give nic 0 virtio", "sriov refused");
    JsonNode launch = json.readTree(results.resolve("launch-fleet.json").toFile());
    assertThat(launch.path("fleet").path("host").asText()).isEqualTo(profile.name());
    assertThat(launch.path("domain").path("state").asText()).isEqualTo("running");
    System.out.println("lab: fleet: placed " + GUEST + " on " + profile.name() + ": " + technology);
    List<String> report = Files.readAllLines(results.resolve("nested-fleet.console")).stream()
        .filter(l -> l.startsWith("nio-virt-guest:")).collect(Collectors.toList());
    report.forEach(l -> System.out.println("lab: fleet: " + GUEST + " console: " + l));
    assertThat(report).contains("nio-virt-guest: done")
        .anyMatch(l -> l.contains("driver=" + profile.value("fleet.drivers").orElseThrow()));
  }
}

package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fleets of captured hosts, planned offline (no connection): d1 has a usable VF, d4 has SR-IOV but
 * no interrupt remapping, d2 is a virtio-only microVM. The guest goes to d1, and every other host
 * gets its reason; bad fleet files are refused naming the line, the field and the value.
 */
class FleetCliTest {
  private static final Path CAPTURES = Path.of("src/test/resources/captures").toAbsolutePath();
  @TempDir Path dir;

  private Path fleet(String yaml) throws IOException {
    return Files.writeString(dir.resolve("fleet.yaml"), yaml);
  }

  private Path capturedFleet() throws IOException {
    return fleet("hosts:\n"
        + "  - name: rack-d4\n    root: " + CAPTURES.resolve("d4-vtd-noir-sriov-idle.tar.gz") + "\n"
        + "  - name: rack-d1\n    root: " + CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz") + "\n"
        + "  - name: micro-d2\n    root: " + CAPTURES.resolve("d2-firecracker-virtio.tar.gz") + "\n");
  }

  @Test
  void theGuestGoesToTheHostWithAUsableVfAndEveryOtherHostGetsItsReason() throws IOException {
    CliRun run = CliRun.of("plan", "--fleet", capturedFleet().toString(), "--name", "web1", "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("host").asText()).isEqualTo("rack-d1");
    assertThat(json.path("nics").path(0).path("technology").asText()).isEqualTo("sriov");
    assertThat(json.path("hosts")).hasSize(3);
    assertThat(json.path("hosts").path(0).path("name").asText()).isEqualTo("rack-d1");
    assertThat(json.path("hosts").path(0).path("chosen").asBoolean()).isTrue();
    for (JsonNode other : json.path("hosts")) {
      assertThat(other.path("reason").asText()).as(other.toString()).isNotBlank();
    }
    assertThat(json.findValues("reason").stream().map(JsonNode::asText))
        .anySatisfy(reason -> assertThat(reason).contains("would give nic 0 virtio", "interrupt remapping"));
  }

  @Test
  void aPinnedHostIsUsedAndAnUnknownOneIsRefused() throws IOException {
    Path fleet = capturedFleet();
    CliRun pinned = CliRun.of("plan", "--fleet", fleet.toString(), "--host", "rack-d4");
    assertThat(pinned.exitCode()).as(pinned.err()).isZero();
    assertThat(pinned.out()).contains("Placed nio-virt-guest on rack-d4: virtio", "rack-d1: not the pinned host rack-d4");

    CliRun unknown = CliRun.of("plan", "--fleet", fleet.toString(), "--host", "rack-zz");
    assertThat(unknown.exitCode()).isNotZero();
    assertThat(unknown.err()).contains("--host", "rack-zz");
  }

  @Test
  void anUnreachableHostIsNamedAndTheOthersAreStillPlanned() throws IOException {
    Path fleet = fleet("hosts:\n"
        + "  - name: gone\n    uri: qemu+ssh://root@127.0.0.1:9/system\n"
        + "  - name: rack-d1\n    root: " + CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz") + "\n");

    CliRun run = CliRun.of("plan", "--fleet", fleet.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("Placed nio-virt-guest on rack-d1: sriov")
        .contains("gone: unavailable: cannot read the hardware of ssh://root@127.0.0.1:9");
  }

  @Test
  void launchPlacesTheGuestAndLaunchesItOnTheChosenHostsConnection() throws IOException {
    Path fleet = fleet("hosts:\n"
        + "  - name: rack-d4\n    uri: test:///default\n    root: " + CAPTURES.resolve("d4-vtd-noir-sriov-idle.tar.gz") + "\n"
        + "  - name: rack-d1\n    uri: test:///default\n    root: " + CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz") + "\n");

    CliRun run;
    CliRun text;
    try {
      run = CliRun.of("launch", "--fleet", fleet.toString(), "--name", "web9", "--format", "json");
      text = CliRun.of("launch", "--fleet", fleet.toString(), "--name", "web10");
    } finally {
      // test:///default is one driver state per process: later tests must not find these guests.
      CliRun.of("destroy", "--connect", "test:///default", "web9");
      CliRun.of("destroy", "--connect", "test:///default", "web10");
    }

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(run.out());
    assertThat(json.path("fleet").path("host").asText()).isEqualTo("rack-d1");
    assertThat(json.path("fleet").path("hosts").path(1).path("reason").asText()).contains("interrupt remapping");
    assertThat(json.path("connection").path("uri").asText()).isEqualTo("test:///default");
    assertThat(json.path("plan").path("nics").path(0).path("technology").asText()).isEqualTo("sriov");
    assertThat(json.path("domain").path("state").asText()).isEqualTo("running");
    assertThat(text.out()).contains("rack-d1: chosen: nic 0 sriov", "Domain web10");
    assertThat(text.err()).contains("placed web10 on rack-d1 (test:///default)");

    CliRun offline = CliRun.of("launch", "--fleet", capturedFleet().toString());
    assertThat(offline.exitCode()).isNotZero();
    assertThat(offline.err()).contains("hosts.rack-d1.uri", "can be planned but not launched on");
  }

  @Test
  void listShowsEveryHostsDomainsAndNamesTheOnesWithout() throws IOException {
    Path fleet = fleet("hosts:\n"
        + "  - name: rehearsal\n    uri: test:///default\n"
        + "  - name: offline\n    root: " + CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz") + "\n"
        + "  - name: gone\n    uri: qemu+ssh://root@127.0.0.1:9/system\n");

    CliRun run = CliRun.of("list", "--fleet", fleet.toString(), "--format", "json");

    assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.RUNTIME_FAILURE);
    JsonNode hosts = new ObjectMapper().readTree(run.out()).path("hosts");
    assertThat(hosts.path(0).path("connection").path("uri").asText()).isEqualTo("test:///default");
    assertThat(hosts.path(0).path("domains").isArray()).isTrue();
    assertThat(hosts.path(1).path("unavailable").asText()).contains("planned offline");
    assertThat(hosts.path(2).path("unavailable").asText()).isNotBlank();
  }

  @Test
  void theInventoryOfAFleetHasEveryHostAndNamesTheOneThatCannotBeRead() throws IOException {
    Path fleet = fleet("hosts:\n"
        + "  - name: rack-d1\n    root: " + CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz") + "\n"
        + "  - name: gone\n    uri: qemu+ssh://root@127.0.0.1:9/system\n");

    CliRun run = CliRun.of("inventory", "--fleet", fleet.toString(), "--format", "json");

    assertThat(run.exitCode()).as("a host could not be read").isEqualTo(ExitCode.RUNTIME_FAILURE);
    JsonNode hosts = new ObjectMapper().readTree(run.out()).path("hosts");
    assertThat(hosts.path(0).path("name").asText()).isEqualTo("rack-d1");
    assertThat(hosts.path(0).path("inventory").path("cards").size()).isPositive();
    assertThat(hosts.path(1).path("unavailable").asText()).contains("ssh://root@127.0.0.1:9", "refused");
  }

  @Test
  void aBadFleetFileNamesTheLineTheFieldAndTheValue() throws IOException {
    CliRun duplicate = CliRun.of("plan", "--fleet", fleet("hosts:\n  - name: a\n    root: /\n"
        + "  - name: a\n    root: /\n").toString());
    assertThat(duplicate.exitCode()).isNotZero();
    assertThat(duplicate.err()).contains("hosts[1].name", "line 4", "'a'", "two hosts have this name");

    CliRun badUri = CliRun.of("plan", "--fleet", fleet("hosts:\n  - name: a\n    uri: 'qemu ssh'\n").toString());
    assertThat(badUri.err()).contains("hosts[0].uri", "qemu ssh", "not a URI");

    CliRun unknownKey = CliRun.of("plan", "--fleet", fleet("hosts:\n  - name: a\n    url: x\n").toString());
    assertThat(unknownKey.err()).contains("hosts[0].url", "unknown key");

    CliRun mixed = CliRun.of("plan", "--fleet", capturedFleet().toString(), "--connect", "test:///default");
    assertThat(mixed.err()).contains("--fleet", "leave out --connect");
  }
}

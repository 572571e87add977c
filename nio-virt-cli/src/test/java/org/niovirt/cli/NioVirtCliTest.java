package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.niovirt.cli.CliRun.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;

/**
 * Every subcommand, driven through picocli in this JVM on the captured hosts and libvirt's test
 * driver. {@code test:///default} is one shared simulated host per process while a connection is
 * open, so the test holds one: what a command defined stays visible to the checks.
 */
class NioVirtCliTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path temp;

  private LibvirtHost observer;

  @BeforeEach
  void holdTheDefaultTestDriver() {
    observer = LibvirtHost.connect("test:///default");
  }

  @AfterEach
  void cleanUp() {
    for (GuestSummary guest : observer.list()) {
      if (!guest.name().equals("test")) {
        if (guest.state().active()) {
          observer.destroy(guest.name());
        }
        if (guest.persistent()) {
          observer.undefine(guest.name());
        }
      }
    }
    observer.close();
  }

  private List<String> domains() {
    return observer.list().stream().map(GuestSummary::name).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "inventory", "plan", "launch", "list", "stop", "destroy", "snapshot", "dashboard"})
  void everyCommandHasHelpWithTheExitCodes(String command) {
    CliRun run = command.isEmpty() ? CliRun.of("--help") : CliRun.of(command, "--help");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Usage: nio-virt", "Exit codes:", "2  usage error or invalid value",
        "3  no plan can serve the request", "4  libvirt failure");
  }

  @Test
  void cliMdDocumentsEveryCommandAndExitCode() throws Exception {
    String doc = Files.readString(Path.of("CLI.md"));

    for (String command : List.of("inventory", "plan", "launch", "list", "stop", "destroy", "snapshot",
        "dashboard")) {
      assertThat(doc).contains("| `" + command);
    }
    for (int code : List.of(ExitCode.OK, ExitCode.RUNTIME_FAILURE, ExitCode.USAGE,
        ExitCode.PLANNING_IMPOSSIBLE, ExitCode.LIBVIRT_FAILURE)) {
      assertThat(doc).containsPattern("(?m)^\\| " + code + " \\| \\S");
    }
  }

  @Test
  void inventoryOfACaptureAsTableAndAsJson() throws Exception {
    CliRun table = CliRun.of("inventory", "--root", capture("d1-vtd-sriov-dual"));
    CliRun json = CliRun.of("inventory", "--root", capture("d1-vtd-sriov-dual"), "--format", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("0000:01:00.0", "0000:01:10.0", "0000:01:10.2", "eth3",
        "0000:02:00.1", "MANAGEMENT");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.err()).as("JSON output leaves stderr quiet").isEmpty();
    JsonNode inventory = JSON.readTree(json.out());
    assertThat(inventory.path("cards")).hasSize(3);
    assertThat(inventory.path("managementInterfaces").toString()).contains("eth0");
  }

  @ParameterizedTest
  @CsvSource({
      "d1-vtd-sriov-dual, SRIOV",
      "d2-firecracker-virtio, VIRTIO",
      "d3-amd-vi-quad, VIRTIO",
      "d4-vtd-noir-sriov-idle, VIRTIO",
      "d5-vtd-off-rocker, VIRTIO",
  })
  void planOnEachCapturePrintsTheChoiceAndEveryVerdict(String capture, String chosen) {
    CliRun run = CliRun.of("plan", "--root", capture(capture));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("nic 0 -> " + chosen + ":");
    for (String technology : List.of("sriov", "vtd", "virtio")) {
      assertThat(run.out()).containsPattern("(?m)^    " + technology + " +(chosen|feasible|rejected|excluded) +\\S");
    }
  }

  @Test
  void planExplainsWhyAHostWithoutIommuGetsVirtio() throws Exception {
    CliRun run = CliRun.of("plan", "--root", capture("d2-firecracker-virtio"), "--format", "json", "--xml");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode plan = JSON.readTree(run.out());
    JsonNode nic = plan.path("nics").get(0);
    assertThat(nic.path("technology").asText()).isEqualTo("virtio");
    assertThat(nic.path("verdicts")).hasSize(3);
    assertThat(nic.path("verdicts").get(0).path("outcome").asText()).isEqualTo("rejected");
    assertThat(nic.path("verdicts").get(0).path("reason").asText()).contains("IOMMU");
    assertThat(plan.path("domainXml").asText()).contains("<domain", "<model type=\"virtio\"/>");
  }

  @Test
  void launchWithDefaultsRunsTheWholePathAndReadsTheStateBack() {
    CliRun run = CliRun.of("launch", "--root", capture("d1-vtd-sriov-dual"));

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("== Network cards of", "== Plan ==", "nic 0 -> SRIOV",
        "== Domain XML ==", "<interface type=\"hostdev\" managed=\"yes\">", "== Launched ==",
        "state read back from libvirt: running", "[TEST DRIVER]");
    assertThat(run.err()).contains("Test driver: libvirt's in-process test driver");
    // The positive control for the "nothing launched" checks below: this one is visible.
    assertThat(domains()).contains("nio-virt-guest");
  }

  @Test
  void dryRunPrintsThePlanAndXmlAndDefinesNothing() {
    CliRun run = CliRun.of("launch", "--dry-run", "--root", capture("d2-firecracker-virtio"),
        "--name", "rehearsal", "--nics", "2", "--mac", "52:54:00:00:00:aa", "--vcpus", "4");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("Guest rehearsal: 2 NICs, 4 vCPU", "52:54:00:00:00:aa",
        "<driver queues=\"4\"/>", "== Dry run ==");
    assertThat(domains()).doesNotContain("rehearsal");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "--nics|0|--nics: invalid value '0'",
      "--nics|-1|--nics: invalid value '-1'",
      "--mac|52:54:00:zz:00:01|--mac: invalid value '52:54:00:zz:00:01'",
      "--vlan|5000|--vlan: invalid value '5000'",
      "--host-device|0000:zz:00.0|--host-device: invalid value '0000:zz:00.0'",
      "--pin|infiniband|--pin: invalid value 'infiniband'",
      "--name|bad name|--name: invalid value 'bad name'",
      "--memory|1|--memory: invalid value '1'",
  })
  void badInputIsOneLineNamingTheOptionAndNothingIsLaunched(String option, String value, String expected) {
    CliRun run = option.equals("--name")
        ? CliRun.of("launch", "--root", capture("d1-vtd-sriov-dual"), option, value)
        : CliRun.of("launch", "--root", capture("d1-vtd-sriov-dual"), "--name", "victim", option, value);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines()).as(run.toString()).hasSize(2);
    assertThat(run.errorLines().get(0)).startsWith("nio-virt: error: " + expected);
    assertThat(run.errorLines().get(1)).startsWith("hint: 'nio-virt launch --help'");
    assertThat(run.out()).doesNotContain("<domain");
    assertThat(domains()).doesNotContain("victim", "bad name");
  }

  @Test
  void aPinnedTechnologyTheHostCannotServeExitsWithThree() {
    CliRun run = CliRun.of("launch", "--root", capture("d2-firecracker-virtio"), "--name", "pinned",
        "--pin", "sriov");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.PLANNING_IMPOSSIBLE);
    assertThat(run.errorLines()).hasSize(2);
    assertThat(run.errorLines().get(0)).contains("pinned technology sriov is not feasible", "IOMMU");
    assertThat(run.errorLines().get(1)).startsWith("hint: unpin the NIC");
    assertThat(domains()).doesNotContain("pinned");
  }

  @Test
  void theSampleHostRehearsesSriovWithoutHardware() {
    CliRun run = CliRun.of("launch", "--sample-host", "--name", "rehearsal-2", "--nics", "2");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).contains("== Network cards of the sample host ==", "nic 0 -> SRIOV",
        "nic 1 -> SRIOV", "state read back from libvirt: running", "[TEST DRIVER]");
  }

  @Test
  void theSampleHostIsItsOwnConnectionAndHardware() {
    CliRun withConnect = CliRun.of("plan", "--sample-host", "--connect", "test:///default");
    CliRun withRoot = CliRun.of("plan", "--sample-host", "--root", capture("d1-vtd-sriov-dual"));

    assertThat(withConnect.exitCode()).as(withConnect.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(withConnect.errorLines().get(0)).startsWith("nio-virt: error: --sample-host: invalid value");
    assertThat(withRoot.exitCode()).as(withRoot.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(withRoot.errorLines().get(0)).contains("--sample-host", "--root");
  }

  @Test
  void nodeDevicesOfATestDriverFileAreAHost() {
    String uri = "test://" + Path.of("src/test/resources/dashboard/sriov-host.xml").toAbsolutePath();
    CliRun trusting = CliRun.of("plan", "--connect", uri, "--node-devices", "--management-interface", "eth0",
        "--interrupt-remapping", "yes", "--pin", "vtd");
    CliRun unsure = CliRun.of("plan", "--connect", uri, "--node-devices", "--management-interface", "eth0");

    assertThat(trusting.exitCode()).as(trusting.toString()).isZero();
    assertThat(trusting.out()).contains("nic 0 -> VTD: PCI function 0000:af:00.0");
    // Node devices cannot tell whether interrupt remapping is on; unknown is not good enough.
    assertThat(unsure.exitCode()).as(unsure.toString()).isZero();
    assertThat(unsure.out()).contains("nic 0 -> VIRTIO", "interrupt remapping could not be confirmed");
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = CliRun.of("plan", "--colour", "blue");

    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines()).hasSize(2);
    assertThat(run.errorLines().get(0)).contains("Unknown option", "--colour");
  }

  @Test
  void aMissingRootIsAUsageErrorNamingTheOption() {
    CliRun run = CliRun.of("inventory", "--root", temp.resolve("nowhere").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines().get(0)).startsWith("nio-virt: error: --root: invalid value");
  }

  @Test
  void listShowsTheDomainsAndSaysItIsTheTestDriver() throws Exception {
    CliRun table = CliRun.of("list");
    CliRun json = CliRun.of("list", "--format", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).contains("TEST DRIVER", "NAME", "test", "running");
    JsonNode list = JSON.readTree(json.out());
    assertThat(list.path("connection").path("testDriver").asBoolean()).isTrue();
    assertThat(list.path("domains").findValuesAsText("name")).contains("test");
  }

  @Test
  void listExplainsEachNicFromThePlanRecordedInTheDomainXml() throws Exception {
    CliRun launch = CliRun.of("launch", "--root", capture("d1-vtd-sriov-dual"), "--name", "explained");
    assertThat(launch.exitCode()).as(launch.toString()).isZero();
    String reason = observer.domainXml("explained").recordedPlan().orElseThrow().nics().get(0).reason();

    // Each run is a fresh command with its own connection: the reasons come from libvirt.
    CliRun table = CliRun.of("list");
    CliRun json = CliRun.of("list", "--format", "json");

    assertThat(table.exitCode()).as(table.toString()).isZero();
    assertThat(table.out()).containsPattern("(?m)^      nic 0: \\w+ - \\Q" + reason + "\\E$")
        .contains("why: " + ListCommand.NOT_RECORDED);
    JsonNode domains = JSON.readTree(json.out()).path("domains");
    JsonNode explained = stream(domains).filter(d -> d.path("name").asText().equals("explained"))
        .findFirst().orElseThrow();
    JsonNode nic = explained.path("recordedPlan").path("nics").get(0);
    assertThat(nic.path("reason").asText()).isEqualTo(reason);
    assertThat(nic.path("verdicts")).hasSize(3);
    assertThat(stream(domains).filter(d -> d.path("name").asText().equals("test")).findFirst()
        .orElseThrow().path("recordedPlan").isNull()).isTrue();
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false);
  }

  @Test
  void stopWaitsForPowerOffAndKeepsTheDefinitionThenDestroyRemovesIt() {
    assertThat(CliRun.of("launch", "--root", capture("d1-vtd-sriov-dual"), "--name", "short-lived").exitCode())
        .isZero();

    CliRun stop = CliRun.of("stop", "short-lived");
    assertThat(stop.exitCode()).as(stop.toString()).isZero();
    assertThat(stop.out()).contains("short-lived: shut off (still defined");
    assertThat(domains()).contains("short-lived");

    CliRun destroy = CliRun.of("destroy", "short-lived");
    assertThat(destroy.exitCode()).as(destroy.toString()).isZero();
    assertThat(destroy.out()).contains("undefined; its host devices are free");
    assertThat(domains()).doesNotContain("short-lived");
  }

  @Test
  void stoppingAnUnknownDomainIsALibvirtFailureWithAHint() {
    CliRun run = CliRun.of("stop", "no-such-guest");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LIBVIRT_FAILURE);
    assertThat(run.errorLines()).hasSize(2);
    assertThat(run.errorLines().get(0)).contains("no-such-guest", "VIR_ERR_NO_DOMAIN");
    assertThat(run.errorLines().get(1)).contains("nio-virt list");
  }

  @Test
  void aBadConnectionUriIsALibvirtFailure() {
    CliRun run = CliRun.of("list", "--connect", "nosuchdriver:///x");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LIBVIRT_FAILURE);
    assertThat(run.errorLines().get(0)).contains("connect to nosuchdriver:///x");
  }

  @Test
  void verboseAddsTheStackTrace() {
    CliRun run = CliRun.of("stop", "--verbose", "no-such-guest");

    assertThat(run.exitCode()).isEqualTo(ExitCode.LIBVIRT_FAILURE);
    assertThat(run.err()).contains("\tat org.niovirt.");
  }

  @Test
  void snapshotIsReadBackWithTheSameInventory() throws Exception {
    Path snapshot = temp.resolve("host.tar.gz");
    CliRun capture = CliRun.of("snapshot", "--root", capture("d1-vtd-sriov-dual"), "--output", snapshot.toString());
    assertThat(capture.exitCode()).as(capture.toString()).isZero();
    assertThat(Files.size(snapshot)).isPositive();

    JsonNode original = JSON.readTree(
        CliRun.of("inventory", "--root", capture("d1-vtd-sriov-dual"), "--format", "json").out());
    JsonNode readBack = JSON.readTree(
        CliRun.of("inventory", "--root", snapshot.toString(), "--format", "json").out());
    ((com.fasterxml.jackson.databind.node.ObjectNode) original).remove("source");
    ((com.fasterxml.jackson.databind.node.ObjectNode) readBack).remove("source");
    assertThat(readBack).isEqualTo(original);
  }

  @Test
  void snapshotIntoAMissingFolderNamesTheOption() {
    CliRun run = CliRun.of("snapshot", "--root", capture("d2-firecracker-virtio"),
        "--output", temp.resolve("no/such/dir/x.tar.gz").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines().get(0)).startsWith("nio-virt: error: --output: invalid value");
  }

  @Test
  void dashboardServesForTheGivenTimeAndSaysWhere() {
    CliRun run = CliRun.of("dashboard", "--root", capture("d2-firecracker-virtio"), "--port", "0",
        "--duration", "1");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).containsPattern("nio-virt dashboard: http://127\\.0\\.0\\.1:\\d+/")
        .contains("[TEST DRIVER]", "read-only");
  }

  @Test
  void dashboardRefusesAShortToken() {
    CliRun run = CliRun.of("dashboard", "--enable-actions", "--token", "short", "--port", "0");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.errorLines().get(0)).contains("--token", "at least 16 characters");
  }
}

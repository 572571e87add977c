package org.niovirt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.detect.HostDetector;
import org.niovirt.detect.InventoryJson;
import org.niovirt.detect.lab.LabHostProfile;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The hardware lab: each profile of lab/hosts/profiles is booted as an emulated host (QEMU 10,
 * TCG, real Debian kernel and drivers), nio-virt runs inside it (snapshot, inventory, plan, and one
 * nested guest per technology through the host's own libvirtd), and this test checks the results
 * the host left in its output folder. The console of every host, nested guests' report lines
 * included, is copied to this test's output as it comes.
 *
 * <p>{@code -Dniovirt.lab.checkOnly=true} skips preparing and booting and checks the results a
 * previous run left in {@code niovirt.lab.out} (for working on the checks; CI never sets it);
 * {@code -Dniovirt.lab.only=NAME,...} runs only those profiles.
 */
class EmulatedHostsIT {
  private static final Path PROJECT = Path.of(System.getProperty("niovirt.root", ".."))
      .toAbsolutePath().normalize();
  private static final Path OUT = Path.of(System.getProperty("niovirt.lab.out", "target/lab-hosts"))
      .toAbsolutePath();
  private static final Pattern NIC_LINE = Pattern.compile("^nio-virt-guest: nic=(\\S+) driver=(\\S+)"
      + " mac=([0-9a-f:]{17}) pci=(\\S+) pci_id=([0-9a-f]{4}:[0-9a-f]{4}) rx_queues=(\\d+)"
      + " tx_queues=(\\d+)$");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, String> TIMES = new LinkedHashMap<>();
  private static final boolean CHECK_ONLY = Boolean.getBoolean("niovirt.lab.checkOnly");

  /** Every profile, or those {@code -Dniovirt.lab.only=a,b} names (for work on one host; CI runs all). */
  static List<LabHostProfile> profiles() {
    List<String> only = List.of(System.getProperty("niovirt.lab.only", "").split(","));
    return LabHostProfile.readAll(PROJECT.resolve("lab/hosts/profiles")).stream()
        .filter(p -> only.equals(List.of("")) || only.contains(p.name())).collect(Collectors.toList());
  }

  @BeforeAll
  static void prepare() throws Exception {
    if (CHECK_ONLY) {
      return;
    }
    assertThat(run(List.of(PROJECT.resolve("lab/hosts/prepare.sh").toString()), "prepare"))
        .as("lab/hosts/prepare.sh (QEMU 10, kernel, initramfs, guest image; needs root)")
        .isZero();
  }

  @AfterAll
  static void printTimes() {
    System.out.println("lab: time per emulated host");
    TIMES.forEach((name, time) -> System.out.println("lab:   " + name + "  " + time));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("profiles")
  void emulatedHost(LabHostProfile profile) throws Exception {
    long started = System.nanoTime();
    Path results = OUT.resolve(profile.name());
    LabFleet fleet = LabFleet.wanted(profile) ? new LabFleet(profile, PROJECT, results) : null;
    int status = CHECK_ONLY ? 0 : run(
        List.of(PROJECT.resolve("lab/hosts/run-host.sh").toString(), profile.name()),
        profile.name(), fleet == null ? Map.of() : fleet.environment(),
        line -> { if (fleet != null) { fleet.onLine(line); } });
    String time = String.format(Locale.ROOT, "%.0f s (steps: %s)",
        (System.nanoTime() - started) / 1e9, steps(results));
    TIMES.put(profile.name(), time);
    assertThat(status).as("run-host.sh %s exit status (result: %s; %s)", profile.name(),
        read(results.resolve("result")), time).isZero();

    HostInventory snapshot = HostDetector.forSnapshot(results.resolve("snapshot.tar.gz")).detect();
    profile.assertFacts(snapshot);
    JsonNode live = JSON.readTree(results.resolve("inventory.json").toFile());
    assertThat(stablePart(InventoryJson.toJson(snapshot)))
        .as("inventory read back from the snapshot = inventory detected live on %s (link state"
            + " aside)", profile.name())
        .isEqualTo(stablePart(live.deepCopy()));

    JsonNode plan = JSON.readTree(results.resolve("plan.json").toFile());
    assertThat(plan.path("nics").path(0).path("technology").asText())
        .as("%s: technology chosen for one NIC (plan.json)", profile.name())
        .isEqualTo(profile.value("expect.plan").orElseThrow().toLowerCase(Locale.ROOT));
    profile.value("expect.plan.rejection").ifPresent(words -> {
      for (JsonNode verdict : plan.path("nics").path(0).path("verdicts")) {
        if (!verdict.path("technology").asText().equals("virtio")) {
          assertThat(verdict.path("outcome").asText() + ": " + verdict.path("reason").asText())
              .as("%s: why %s is refused", profile.name(), verdict.path("technology").asText())
              .startsWith("rejected: ").contains(words);
        }
      }
    });

    for (String technology : profile.nestedTechnologies()) {
      checkNestedGuest(profile, technology, results, snapshot);
    }
    if (profile.value("failover.hostDevice").isPresent()) {
      LabFailover.check(profile, results, snapshot);
    }
    if (fleet != null && !CHECK_ONLY) {
      fleet.check();
    }
    if (profile.value("hygiene.orphanMac").isPresent()) {
      checkOrphan(profile, results);
    }
    if (profile.value("reboot").filter("true"::equals).isPresent()) {
      results = rebootAndCheck(profile, results);
    }
    if (!profile.nestedTechnologies().isEmpty()) {
      assertThat(read(results.resolve("list.txt")))
          .as("%s: nio-virt list after destroying the nested guests", profile.name())
          .contains("none").doesNotContain("lab-");
    }
  }

  private static void checkNestedGuest(LabHostProfile profile, String technology, Path results,
      HostInventory inventory) throws Exception {
    String what = profile.name() + ": nested guest lab-" + technology;
    Path console = results.resolve("nested-" + technology + ".console");
    assertThat(console).as("%s console", what).exists();
    List<String> report = Files.readAllLines(console, StandardCharsets.UTF_8).stream()
        .filter(line -> line.startsWith("nio-virt-guest:")).collect(Collectors.toList());
    report.forEach(line -> System.out.println("lab: " + what + " console: " + line));
    assertThat(report).as("%s report", what).contains("nio-virt-guest: done")
        .noneMatch(line -> line.contains("module-error") || line.contains("nic-timeout"));

    List<Matcher> nics = report.stream().map(NIC_LINE::matcher).filter(Matcher::matches)
        .collect(Collectors.toList());
    assertThat(nics.stream().map(m -> m.group(2)).sorted())
        .as("%s: drivers of the guest's NICs", what)
        .containsExactlyElementsOf(profile.words("nested." + technology + ".drivers").stream()
            .sorted().collect(Collectors.toList()));
    List<String> macs = nics.stream().map(m -> m.group(3)).collect(Collectors.toList());
    Optional<String> plannedMac = profile.value("nested." + technology + ".mac");
    boolean guestSeesMac = profile.value("nested." + technology + ".guestSeesMac")
        .map(Boolean::parseBoolean).orElse(true);
    if (plannedMac.isPresent() && guestSeesMac) {
      assertThat(macs).as("%s: MAC set by libvirt from the plan", what)
          .containsExactly(plannedMac.get());
    } else if (plannedMac.isPresent()) {
      // The profile says the emulated device cannot pass the MAC on (see its comment); if the
      // guest gets it after all, the profile is out of date.
      assertThat(macs).as("%s: MAC the guest's driver made up (the profile says it cannot get"
          + " the planned %s; if it now does, set guestSeesMac = true)", what, plannedMac.get())
          .hasSize(1).noneMatch(plannedMac.get()::equals)
          .allMatch(mac -> (Integer.parseInt(mac.substring(0, 2), 16) & 0x02) != 0);
    }
    if (technology.equals("vtd")) {
      // A passed-through function keeps its own hardware MAC: the one the host saw before.
      PciAddress device = PciAddress.parse(profile.value("nested.vtd.hostDevice").orElseThrow());
      int group = inventory.function(device).orElseThrow().iommuGroup().orElseThrow();
      List<String> groupMacs = inventory.functions()
          .filter(f -> f.iommuGroup().equals(inventory.function(device).get().iommuGroup()))
          .flatMap(f -> f.netdevs().stream())
          .map(n -> n.mac().orElseThrow().toString()).sorted().collect(Collectors.toList());
      assertThat(macs.stream().sorted()).as("%s: MACs of IOMMU group %d's functions", what, group)
          .containsExactlyElementsOf(groupMacs);
    }
    // The domain as libvirt kept it (virsh dumpxml after the launch).
    Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(results.resolve("nested-" + technology + ".xml").toFile());
    if (technology.equals("virtio")) {
      Element model = (Element) ((Element) xml.getElementsByTagName("interface").item(0))
          .getElementsByTagName("model").item(0);
      assertThat(model == null ? null : model.getAttribute("type"))
          .as("%s: interface model in the XML", what).isEqualTo("virtio");
    }
    if (technology.equals("vtd")) {
      assertThat(xml.getElementsByTagName("hostdev").getLength())
          .as("%s: <hostdev> elements (one per function of the group)", what)
          .isEqualTo(nics.size());
    }
    if (technology.equals("sriov")) {
      Element hostdev = (Element) xml.getElementsByTagName("interface").item(0);
      assertThat(hostdev.getAttribute("type")).as("%s: interface type", what).isEqualTo("hostdev");
      Element tag = (Element) hostdev.getElementsByTagName("tag").item(0);
      assertThat(tag == null ? null : tag.getAttribute("id")).as("%s: VLAN in the XML", what)
          .isEqualTo(profile.value("nested.sriov.vlan").orElse(null));
      // The PF driver's own view of its VFs: libvirt really programmed the MAC and the VLAN.
      String mac = profile.value("nested.sriov.mac").orElseThrow();
      String vlan = profile.value("nested.sriov.vlan").map(v -> ", vlan " + v + ",").orElse("");
      assertThat(Files.readAllLines(results.resolve("nested-sriov.pf-link.txt")))
          .as("%s: `ip link show` of the PF lists a VF with MAC %s%s", what, mac, vlan)
          .anyMatch(line -> line.trim().startsWith("vf ") && line.contains("link/ether " + mac)
              && line.contains(vlan));
    }
  }

  /**
   * A MAC set by hand on VF 1 (as another tool would leave it): the planner refuses it, host check
   * calls the VF orphaned, the snapshot taken after the SR-IOV guest ran reads it as the VF's
   * administrative MAC, and host repair clears it while the guest's own VF is left alone.
   */
  private static void checkOrphan(LabHostProfile profile, Path results) throws IOException {
    String mac = profile.value("hygiene.orphanMac").orElseThrow();
    String what = profile.name() + ": orphaned MAC " + mac + " on VF 1";
    assertThat(read(results.resolve("orphan-plan.txt"))).as("%s: plan refuses it", what)
        .contains(mac).contains("administrative MAC");
    assertThat(read(results.resolve("orphan-check.txt"))).as("%s: host check", what)
        .containsPattern("VF 1 of \\S+ \\(\\S+\\): orphaned: .*MAC " + mac);
    HostInventory withVfs = HostDetector.forSnapshot(results.resolve("snapshot-vfs.tar.gz")).detect();
    PciAddress pf = PciAddress.parse(profile.value("nested.sriov.hostDevice").orElseThrow());
    var vfs = withVfs.function(pf).orElseThrow().sriov().orElseThrow().vfs();
    assertThat(vfs.get(1).admin().flatMap(a -> a.mac()).map(Object::toString))
        .as("%s: admin MAC read back from the snapshot", what).contains(mac);
    // VF 0 is lab-sriov's (defined; libvirt gave back its pre-assignment MAC when the guest
    // powered off): held, so repair leaves it alone whatever it carries.
    assertThat(read(results.resolve("repair.txt"))).as("%s: host repair", what)
        .contains("VF 1 of " + pf).contains("orphaned MAC " + mac + " cleared").doesNotContain("VF 0 ");
    assertThat(Files.readAllLines(results.resolve("repair-pf-link.txt")))
        .as("%s: `ip link show` of the PF after the repair", what)
        .anyMatch(line -> line.trim().startsWith("vf 1 ") && line.contains("link/ether 00:00:00:00:00:00"));
  }

  /**
   * The same emulated machine booted a second time with the defined guest and the boot unit carried
   * over; the unit's commands ran before libvirtd. The unit passes systemd-analyze here, the VF
   * existed before libvirtd started, the guest started on it, and its release cleared the VF's MAC.
   */
  private static Path rebootAndCheck(LabHostProfile profile, Path first) throws Exception {
    String what = profile.name() + " after reboot";
    Path unit = first.resolve("carry/nio-virt-sriov.service");
    String dryRun = read(first.resolve("persist-dry-run.txt"));
    assertThat(dryRun).as("%s: host persist --dry-run", what)
        .contains("Before=libvirtd.service").contains("# " + profile.value("nested.sriov.hostDevice")
            .orElseThrow() + ": 1 VF(s), for lab-sriov");
    assertThat(read(unit)).as("%s: the written unit is the dry run's", what).isEqualTo(dryRun);
    Process verify = new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
        .redirectErrorStream(true).start();
    String verdict = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(verify.waitFor()).as("systemd-analyze verify %s: %s", unit, verdict).isZero();

    long started = System.nanoTime();
    int status = CHECK_ONLY ? 0 : run(List.of("env", "LAB_PHASE=after-reboot",
        PROJECT.resolve("lab/hosts/run-host.sh").toString(), profile.name()), what, Map.of(), line -> { });
    Path results = OUT.resolve(profile.name() + "-after-reboot");
    TIMES.put(what, String.format(Locale.ROOT, "%.0f s (steps: %s)",
        (System.nanoTime() - started) / 1e9, steps(results)));
    assertThat(status).as("%s: run-host.sh exit status (result %s)", what, read(results.resolve("result")))
        .isZero();
    assertThat(read(results.resolve("vfs-before-libvirtd.txt"))).as("%s: VFs before libvirtd", what)
        .isNotEmpty();
    String line = read(results.resolve("after-reboot.txt"));
    System.out.println(line);
    assertThat(line).as(what).matches("lab: " + Pattern.quote(profile.name())
        + ": after reboot: lab-sriov running on VF [0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");
    assertThat(read(results.resolve("vfs-before-libvirtd.txt")))
        .as("%s: the guest's VF existed before libvirtd", what)
        .contains(line.substring(line.lastIndexOf(' ') + 1));
    assertThat(Files.readAllLines(results.resolve("release-pf-link.txt")))
        .as("%s: `ip link show` of the PF after nio-virt destroyed the guest: MAC and VLAN cleared", what)
        .anyMatch(l -> l.trim().startsWith("vf 0 ") && l.contains("link/ether 00:00:00:00:00:00")
            && !l.contains("vlan"));
    return results;
  }

  /**
   * The inventory without what may differ between two reads a minute apart: where it was read
   * from, and link state (under AMD-Vi the emulated e1000e ports time out and reset, so their
   * links flap).
   */
  private static ObjectNode stablePart(JsonNode inventory) {
    ObjectNode copy = (ObjectNode) inventory.deepCopy();
    copy.remove("source");
    for (JsonNode netdev : copy.findValues("netdevs")) {
      for (JsonNode each : netdev) {
        ((ObjectNode) each).remove(List.of("operState", "speedMbps"));
      }
    }
    return copy;
  }

  private static String steps(Path results) {
    Path file = results.resolve("steps.tsv");
    if (!Files.exists(file)) {
      return "none";
    }
    try {
      return Files.readAllLines(file).stream().map(line -> line.split("\t"))
          .map(f -> f[0] + " " + f[1] + " s" + ("ok".equals(f[2]) ? "" : " " + f[2]))
          .collect(Collectors.joining(", "));
    } catch (IOException e) {
      return "unreadable: " + e.getMessage();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      return "none";
    }
  }

  /** Runs a lab script, copying its output to this test's output line by line as it comes. */
  private static int run(List<String> command, String tag) throws Exception {
    return run(command, tag, Map.of(), line -> { });
  }

  /** {@link #run(List, String)} with more environment, each output line also given to {@code lines}. */
  private static int run(List<String> command, String tag, Map<String, String> environment,
      java.util.function.Consumer<String> lines) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("OUT_DIR", OUT.toString());
    builder.environment().putAll(environment);
    Process process = builder.start();
    Deque<String> tail = new ArrayDeque<>();
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        System.out.println("[" + tag + "] " + line);
        lines.accept(line);
        tail.addLast(line);
        if (tail.size() > 40) {
          tail.removeFirst();
        }
      }
    }
    int status = process.waitFor();
    if (status != 0) {
      System.out.println("[" + tag + "] exit status " + status + "; last lines:");
      new ArrayList<>(tail).forEach(line -> System.out.println("[" + tag + "]   " + line));
    }
    return status;
  }
}

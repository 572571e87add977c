package org.niovirt.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.detect.lab.LabHostProfile;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The virtio-net failover case of a profile with {@code failover.hostDevice}: guest lab-failover,
 * pinned to vtd and live-migratable, got that function as the transient primary and a virtio
 * standby with the function's own MAC. Its console must show the net_failover master over both;
 * after {@code virsh detach-device} of the primary (what a migration does first), the master over
 * the standby alone, the guest still up. Prints {@code lab: HOST: failover: GUEST primary DRIVER
 * standby virtio_net} from what the guest reported.
 */
final class LabFailover {
  private static final Pattern NIC = Pattern.compile(
      "^nio-virt-guest: nic=(\\S+) driver=(\\S+) mac=([0-9a-f:]{17}) .*$");
  private static final Pattern LOWER = Pattern.compile("^nio-virt-guest: lower=(\\S+) upper=(\\S+)$");
  private static final String CHANGED = "nio-virt-guest: changed";

  private LabFailover() {}

  /** One report of the guest: its NICs by name (driver, MAC) and each lower NIC's upper. */
  private record Report(Map<String, String[]> nics, Map<String, String> uppers) {
    static Report of(List<String> lines) {
      Map<String, String[]> nics = new TreeMap<>();
      Map<String, String> uppers = new TreeMap<>();
      for (String line : lines) {
        Matcher nic = NIC.matcher(line);
        Matcher lower = LOWER.matcher(line);
        if (nic.matches()) {
          nics.put(nic.group(1), new String[] {nic.group(2), nic.group(3)});
        } else if (lower.matches()) {
          uppers.put(lower.group(1), lower.group(2));
        }
      }
      return new Report(nics, uppers);
    }

    String driver(String nic) {
      return nics.get(nic)[0];
    }

    List<String> lowersOf(String upper) {
      return uppers.entrySet().stream().filter(e -> e.getValue().equals(upper)).map(Map.Entry::getKey)
          .collect(Collectors.toList());
    }
  }

  static void check(LabHostProfile profile, Path results, HostInventory inventory) throws Exception {
    String what = profile.name() + ": failover guest lab-failover";
    PciAddress primaryFunction = PciAddress.parse(profile.value("failover.hostDevice").orElseThrow());
    String primaryDriver = profile.value("failover.primaryDriver").orElseThrow();
    String functionMac = inventory.function(primaryFunction).orElseThrow().netdevs().get(0).mac()
        .orElseThrow().toString();

    List<String> lines = Files.readAllLines(results.resolve("nested-failover.console"), StandardCharsets.UTF_8)
        .stream().filter(line -> line.startsWith("nio-virt-guest:")).collect(Collectors.toList());
    lines.forEach(line -> System.out.println("lab: " + what + " console: " + line));
    int changed = lines.indexOf(CHANGED);
    assertThat(changed).as("%s: a report after the primary was detached", what).isPositive();
    assertThat(lines).as("%s report", what).contains("nio-virt-guest: done")
        .noneMatch(line -> line.contains("module-error") || line.contains("nic-timeout"));
    Report before = Report.of(lines.subList(0, changed));
    Report after = Report.of(lines.subList(changed, lines.size()));

    // Before: the master (virtio_net's failover netdev) over the standby and the primary, one MAC.
    assertThat(before.uppers.values().stream().distinct()).as("%s: one failover master", what).hasSize(1);
    String master = before.uppers.values().iterator().next();
    assertThat(before.driver(master)).as("%s: the master's driver", what).isEqualTo("virtio_net");
    List<String> lowers = before.lowersOf(master);
    assertThat(lowers.stream().map(before::driver))
        .as("%s: drivers of the master's lower NICs", what)
        .containsExactlyInAnyOrder("virtio_net", primaryDriver);
    assertThat(before.nics.values().stream().map(nic -> nic[1]).distinct())
        .as("%s: MACs in the guest (the function's own, on all three)", what).containsExactly(functionMac);
    String primary = lowers.stream().filter(n -> before.driver(n).equals(primaryDriver)).findFirst().orElseThrow();
    String standby = lowers.stream().filter(n -> !n.equals(primary)).findFirst().orElseThrow();

    // After the detach: the primary is gone, the master is still there over the standby alone.
    assertThat(after.nics).as("%s: NICs after the detach", what)
        .doesNotContainKey(primary).containsKeys(master, standby);
    assertThat(after.lowersOf(master)).as("%s: the master's lower NICs after the detach", what)
        .containsExactly(standby);

    // The domain as libvirt had it: teaming on both sides; after the detach, no hostdev.
    Element hostdev = single(xml(results.resolve("nested-failover.xml")), "hostdev");
    Element teaming = single(hostdev, "teaming");
    assertThat(teaming.getAttribute("type")).as("%s: the hostdev's teaming", what).isEqualTo("transient");
    assertThat(xml(results.resolve("nested-failover.after-detach.xml")).getElementsByTagName("hostdev")
        .getLength()).as("%s: hostdevs left after virsh detach-device", what).isZero();

    System.out.println("lab: " + profile.name() + ": failover: lab-failover primary " + primaryDriver
        + " standby " + before.driver(standby));
  }

  private static Element xml(Path file) throws Exception {
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  private static Element single(Element parent, String tag) {
    NodeList found = parent.getElementsByTagName(tag);
    assertThat(found.getLength()).as("<%s> elements in <%s>", tag, parent.getTagName()).isEqualTo(1);
    return (Element) found.item(0);
  }
}

package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.Diagnostic;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableHostInventory;

/** The JSON has exactly the fields INVENTORY-JSON.md documents, with the capture's values. */
class InventoryJsonTest {
  private static final Pattern SECTION = Pattern.compile("^### `(\\w+)`");
  private static final Pattern FIELD_ROW = Pattern.compile("^\\| `(\\w+)` \\|");

  /** Section name → documented field names, from the markdown tables. */
  private static Map<String, Set<String>> documentedFields() throws IOException {
    Map<String, Set<String>> sections = new LinkedHashMap<>();
    String current = null;
    for (String line : Files.readAllLines(Path.of("INVENTORY-JSON.md"))) {
      Matcher section = SECTION.matcher(line);
      Matcher field = FIELD_ROW.matcher(line);
      if (section.find()) {
        current = section.group(1);
        sections.put(current, new TreeSet<>());
      } else if (field.find() && current != null) {
        sections.get(current).add(field.group(1));
      }
    }
    return sections;
  }

  private static Set<String> keys(JsonNode node) {
    Set<String> keys = new TreeSet<>();
    node.fieldNames().forEachRemaining(keys::add);
    return keys;
  }

  private static List<JsonNode> all(JsonNode array) {
    List<JsonNode> nodes = new ArrayList<>();
    array.forEach(nodes::add);
    return nodes;
  }

  @Test
  void everyObjectHasExactlyTheDocumentedFields() throws IOException {
    HostInventory d1 = Captures.detect(Captures.D1);
    // d1 reads cleanly; one host-wide diagnostic shows that object too.
    HostInventory withDiagnostic = ImmutableHostInventory.copyOf(d1)
        .withDiagnostics(Diagnostic.of("iommu", "sys/firmware/acpi/tables/DMAR: permission denied"));
    ObjectNode json = InventoryJson.toJson(withDiagnostic);
    Map<String, Set<String>> documented = documentedFields();

    assertThat(documented.keySet()).containsExactly("inventory", "card", "port", "pcieLink",
        "netdev", "sriov", "vf", "vfAdmin", "iommu", "group", "member", "diagnostic");
    assertThat(keys(json)).isEqualTo(documented.get("inventory"));
    assertThat(keys(json.get("iommu"))).isEqualTo(documented.get("iommu"));
    assertThat(all(json.get("diagnostics"))).isNotEmpty()
        .allSatisfy(d -> assertThat(keys(d)).isEqualTo(documented.get("diagnostic")));
    for (JsonNode card : all(json.get("cards"))) {
      assertThat(keys(card)).isEqualTo(documented.get("card"));
      for (JsonNode port : all(card.get("ports"))) {
        assertThat(keys(port)).isEqualTo(documented.get("port"));
        all(port.get("netdevs")).forEach(n -> assertThat(keys(n)).isEqualTo(documented.get("netdev")));
        if (!port.get("pcieLink").isNull()) {
          assertThat(keys(port.get("pcieLink"))).isEqualTo(documented.get("pcieLink"));
        }
        if (!port.get("sriov").isNull()) {
          assertThat(keys(port.get("sriov"))).isEqualTo(documented.get("sriov"));
          all(port.get("sriov").get("vfs"))
              .forEach(vf -> assertThat(keys(vf)).isEqualTo(documented.get("vf")));
        }
      }
    }
    for (JsonNode group : all(json.get("iommu").get("groups"))) {
      assertThat(keys(group)).isEqualTo(documented.get("group"));
      all(group.get("members")).forEach(m -> assertThat(keys(m)).isEqualTo(documented.get("member")));
    }
  }

  @Test
  void theExampleInTheDocumentIsTheOutputForD2() throws IOException {
    String document = Files.readString(Path.of("INVENTORY-JSON.md"));
    Matcher example = Pattern.compile("```json\n(.*?)\n```", Pattern.DOTALL).matcher(document);
    assertThat(example.find()).as("a json block in INVENTORY-JSON.md").isTrue();
    HostInventory d2 = ImmutableHostInventory.copyOf(Captures.detect(Captures.D2))
        .withSource("d2-firecracker-virtio.tar.gz");

    assertThat(example.group(1)).isEqualTo(InventoryJson.toJsonText(d2));
  }

  @Test
  void theValuesAreTheCapturesInTheDocumentedFormats() throws IOException {
    ObjectNode json = InventoryJson.toJson(Captures.detect(Captures.D1));
    // Through text and back: what a consumer of the CLI output sees.
    JsonNode parsed = new ObjectMapper().readTree(InventoryJson.toJsonText(Captures.detect(Captures.D1)));
    assertThat(parsed).isEqualTo(json);

    assertThat(json.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(json.get("managementInterfaces").toString()).isEqualTo("[\"eth0\"]");
    assertThat(json.get("managementFunctions").toString()).isEqualTo("[\"0000:00:03.0\"]");
    assertThat(json.get("vhostNetAvailable").asBoolean()).isFalse();
    JsonNode virtio = json.at("/cards/0/ports/0");
    assertThat(virtio.get("pcieLink").isNull()).isTrue();
    assertThat(virtio.get("numaNode").isNull()).isTrue();
    assertThat(virtio.get("management").asBoolean()).isTrue();
    assertThat(virtio.at("/netdevs/0/speedMbps").isNull()).isTrue();

    JsonNode pf = json.at("/cards/1/ports/0");
    assertThat(pf.get("address").asText()).isEqualTo("0000:01:00.0");
    assertThat(pf.get("classCode").asText()).isEqualTo("0x020000");
    assertThat(pf.get("networkClass").asText()).isEqualTo("ETHERNET");
    assertThat(pf.get("vendorId").asText()).isEqualTo("0x8086");
    assertThat(pf.get("deviceId").asText()).isEqualTo("0x10c9");
    assertThat(pf.get("deviceName").asText()).isEqualTo("82576 Gigabit Network Connection");
    assertThat(pf.get("driver").asText()).isEqualTo("igb");
    assertThat(pf.get("iommuGroup").asInt()).isEqualTo(7);
    assertThat(pf.at("/pcieLink/speed").asText()).isEqualTo("2.5 GT/s PCIe");
    assertThat(pf.at("/netdevs/0/mac").asText()).isEqualTo("52:54:00:12:34:57");
    assertThat(pf.at("/netdevs/0/operState").asText()).isEqualTo("UP");
    assertThat(pf.at("/netdevs/0/speedMbps").asInt()).isEqualTo(1000);
    assertThat(pf.at("/sriov/totalVfs").asInt()).isEqualTo(7);
    assertThat(pf.at("/sriov/numVfs").asInt()).isEqualTo(2);
    assertThat(pf.at("/sriov/vfDeviceId").asText()).isEqualTo("0x10ca");
    assertThat(pf.at("/sriov/vfs/1/address").asText()).isEqualTo("0000:01:10.2");
    assertThat(pf.at("/sriov/vfs/1/netdev").asText()).isEqualTo("eth5");
    assertThat(pf.at("/sriov/vfs/1/iommuGroup").asInt()).isEqualTo(10);
    assertThat(pf.at("/sriov/creatableVfAddresses").size()).isEqualTo(5);
    assertThat(json.at("/cards/2/portCount").asInt()).isEqualTo(2);

    JsonNode iommu = json.get("iommu");
    assertThat(iommu.get("vendor").asText()).isEqualTo("INTEL_VTD");
    assertThat(iommu.get("interruptRemapping").asText()).isEqualTo("YES");
    assertThat(iommu.get("groups").size()).isEqualTo(11);
    JsonNode group8 = iommu.at("/groups/8");
    assertThat(group8.get("id").asInt()).isEqualTo(8);
    assertThat(group8.get("viable").asBoolean()).isFalse();
    assertThat(group8.at("/members/1/address").asText()).isEqualTo("0000:02:00.1");
    assertThat(group8.at("/members/1/driver").asText()).isEqualTo("e1000e");
    assertThat(iommu.at("/groups/0/members/0/bridge").asBoolean()).isTrue();
    assertThat(iommu.at("/groups/1/members/0/driver").isNull()).isTrue();
  }
}

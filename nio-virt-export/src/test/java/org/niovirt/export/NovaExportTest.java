package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.detect.HostDetector;

/**
 * The Nova export of the real d1 capture (82576 PF with VFs, a dual-port e1000e card in one IOMMU
 * group, a virtio management NIC) checked by Nova's own code: every device_spec parses, every alias
 * passes Nova 26's alias schema, and Nova would assign exactly the exported devices: the PF's VFs
 * (existing and creatable) and the dual-port card's two ports, never the management NIC. Needs
 * Debian's python3-nova (CI installs it; NIOVIRT_REQUIRE_ENGINES=1 there makes its absence a failure).
 */
class NovaExportTest {
  private static final Path CAPTURES = Path.of("../nio-virt-detect/src/test/resources/captures");
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  @TempDir Path dir;

  private static HostInventory d1() {
    return HostDetector.forSnapshot(CAPTURES.resolve("d1-vtd-sriov-dual.tar.gz")).withoutPciIds().detect();
  }

  @Test
  void novasOwnParserMatchesExactlyTheExportedDevicesAndNeverTheManagementNic() throws Exception {
    requireNova();
    HostInventory d1 = d1();
    SafeDevices safe = SafeDevices.of(d1, PlannerPolicy.defaults(), DeviceUsage.empty());
    String export = NovaExport.render(safe, Map.of("eth3", "physnet-a"), true);
    Path file = Files.writeString(dir.resolve("nova.conf"), export);

    ArrayNode devices = new ObjectMapper().createArrayNode();
    for (NetworkFunction function : d1.functions().toList()) {
      devices.addObject().put("address", function.address().toString())
          .put("vendor_id", String.format("%04x", function.vendorId()))
          .put("product_id", String.format("%04x", function.deviceId()))
          .put("dev_type", function.sriov().isPresent() ? "type-PF" : "type-PCI");
      function.sriov().ifPresent(sriov -> sriov.allVfAddresses().forEach(vf -> devices.addObject()
          .put("address", vf.toString()).put("vendor_id", String.format("%04x", function.vendorId()))
          .put("product_id", String.format("%04x", sriov.vfDeviceId().getAsInt()))
          .put("parent_addr", function.address().toString()).put("dev_type", "type-VF")));
    }
    Path devicesFile = Files.writeString(dir.resolve("devices.json"), devices.toString());

    JsonNode nova = runNova(file, devicesFile);

    Set<String> assignable = new TreeSet<>();
    nova.path("assignable").fields().forEachRemaining(e -> {
      if (e.getValue().asBoolean()) {
        assignable.add(e.getKey());
      }
    });
    Set<String> exported = new TreeSet<>();
    safe.devices().forEach(d -> exported.add(d.address().toString()));
    assertThat(assignable).as("what Nova would assign = what was exported\n%s", export).isEqualTo(exported);
    assertThat(exported).contains("0000:01:10.0", "0000:01:10.2", "0000:02:00.0", "0000:02:00.1")
        .hasSize(2 + 7).doesNotContain("0000:00:03.0", "0000:01:00.0");
    assertThat(nova.path("aliases").asInt()).isEqualTo(2);
    assertThat(export).contains("\"physical_network\":\"physnet-a\"",
        "# left out: 0000:00:03.0 (eth0, virtio-pci): the host's management NIC");
    for (PciAddress vf : d1.function(PciAddress.parse("0000:01:00.0")).orElseThrow().sriov().orElseThrow()
        .allVfAddresses()) {
      assertThat(export).contains("\"address\":\"" + vf + "\",\"physical_network\":\"physnet-a\"");
    }
  }

  private static JsonNode runNova(Path export, Path devices) throws Exception {
    Path script = Path.of("src/test/resources/nova_check.py").toAbsolutePath();
    Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), export.toString(), devices.toString())
        .redirectErrorStream(false).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("Nova's parser on the export: %s", err).isZero();
    return new ObjectMapper().readTree(out);
  }

  static void requireNova() throws Exception {
    boolean present = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import nova.pci.whitelist")
        .start().waitFor() == 0;
    if (System.getenv("NIOVIRT_REQUIRE_ENGINES") != null) {
      assertThat(present).as("python3-nova (Debian 12) for Nova's own parser").isTrue();
    }
    Assumptions.assumeTrue(present, "python3-nova is not installed: apt-get install python3-nova");
  }
}

package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.detect.HostDetector;

/**
 * The Neutron SR-IOV agent export of the real d1 capture, with VF 1 held by a local libvirt guest,
 * read back by Neutron's own parsers (Debian's python3-neutron): eth3 is mapped to its physical
 * network and the held VF is excluded, so the agent never hands it out.
 */
class NeutronExportTest {
  @TempDir Path dir;

  @Test
  void neutronsParsersReadTheMappingAndTheHeldVfsExclusion() throws Exception {
    NovaExportTest.requireNova(); // the same Debian OpenStack packages
    HostInventory d1 = HostDetector.forSnapshot(Path.of(
        "../nio-virt-detect/src/test/resources/captures/d1-vtd-sriov-dual.tar.gz")).withoutPciIds().detect();
    DeviceUsage usage = DeviceUsage.of(Map.of(PciAddress.parse("0000:01:10.2"), "web1"));
    String export = NeutronExport.render(d1, SafeDevices.of(d1, PlannerPolicy.defaults(), usage),
        Map.of("eth3", "physnet1"), true);
    Path file = Files.writeString(dir.resolve("sriov_agent.ini"), export);

    Process process = new ProcessBuilder("/usr/bin/python3",
        Path.of("src/test/resources/neutron_check.py").toAbsolutePath().toString(), file.toString()).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("Neutron's parsers on\n%s\n%s", export, err).isZero();
    JsonNode parsed = new ObjectMapper().readTree(out);

    assertThat(parsed.path("mappings").path("physnet1").asText()).isEqualTo("eth3");
    assertThat(parsed.path("excluded").path("eth3").toString()).isEqualTo("[\"0000:01:10.2\"]");
    assertThat(export).contains("# excluded 0000:01:10.2 of eth3: local libvirt guest web1 holds it");
  }
}

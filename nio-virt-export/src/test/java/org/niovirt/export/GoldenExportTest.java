package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.detect.HostDetector;

/**
 * Every format for two real captures, compared with golden files (src/test/resources/golden):
 * d1 (VT-d with interrupt remapping, SR-IOV PF with VFs, a dual-port card) and d4 (VT-d without
 * interrupt remapping: nothing may be exported, everything is explained). A change in what is
 * exported shows up as a diff. {@code -Dniovirt.golden.update=true} rewrites them.
 */
class GoldenExportTest {
  private static final Path CAPTURES = Path.of("../nio-virt-detect/src/test/resources/captures");
  private static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (String capture : List.of("d1-vtd-sriov-dual", "d4-vtd-noir-sriov-idle")) {
      for (String format : List.of("nova", "neutron", "kubevirt", "sriov-device-plugin", "sriov-operator")) {
        cases.add(Arguments.of(capture, format));
      }
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} --to {1}")
  @MethodSource("cases")
  void theExportIsTheGoldenFile(String capture, String format) throws IOException {
    HostInventory host = HostDetector.forSnapshot(CAPTURES.resolve(capture + ".tar.gz")).withoutPciIds().detect();
    SafeDevices safe = SafeDevices.of(host, PlannerPolicy.defaults(), DeviceUsage.empty());
    Map<String, String> networks = Map.of("eth3", "physnet1", "eth1", "physnet1");
    List<String> reasons = new ArrayList<>();
    String text = switch (format) {
      case "nova" -> NovaExport.render(safe, networks, true);
      case "neutron" -> NeutronExport.render(host, safe, networks, true);
      case "kubevirt" -> KubevirtExport.render(host, safe, true);
      case "sriov-operator" -> KubernetesSriovExport.renderOperator(host, safe, "node-1", "sriov-network-operator");
      default -> KubernetesSriovExport.renderDevicePlugin(host, safe, reasons);
    };
    Path golden = GOLDEN.resolve(capture + "." + format + (format.equals("sriov-device-plugin") ? ".json" : ".txt"));
    if (Boolean.getBoolean("niovirt.golden.update")) {
      Files.writeString(golden, text);
    }
    assertThat(text).isEqualTo(Files.readString(golden));
  }
}

package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Advice on real captures, each proven by re-planning: d5 (VT-d present, intel_iommu=off) needs
 * intel_iommu=on and a reboot to give its NIC SR-IOV; d4 (no interrupt remapping support) has only
 * the unsafe opt-out, with its risk; d1 already gets SR-IOV and d2 (a microVM without IOMMU or
 * assignable NIC) has nothing that would help, so neither gets advice.
 */
class AdviceCliTest {
  private static JsonNode plan(String capture) throws Exception {
    CliRun run = CliRun.of("plan", "--root", Path.of("src/test/resources/captures", capture + ".tar.gz").toString(),
        "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out()).path("advice");
  }

  @Test
  void aDisabledIommuNeedsItsKernelWordAndAReboot() throws Exception {
    JsonNode advice = plan("d5-vtd-off-rocker");

    assertThat(advice).hasSize(1);
    assertThat(advice.at("/0/unlocks").asText()).isEqualTo("sriov");
    assertThat(advice.at("/0/from").asText()).isEqualTo("virtio");
    assertThat(advice.at("/0/remedies")).hasSize(1);
    assertThat(advice.at("/0/remedies/0/change").asText()).contains("intel_iommu=on");
    assertThat(advice.at("/0/remedies/0/reboot").asBoolean()).isTrue();
    assertThat(advice.at("/0/remedies/0/risk").isNull()).isTrue();
    assertThat(advice.at("/0/proof").asText()).contains("nic 0 gets sriov instead of virtio");
  }

  @Test
  void withoutInterruptRemappingSupportOnlyTheUnsafeOptOutRemainsWithItsRisk() throws Exception {
    JsonNode advice = plan("d4-vtd-noir-sriov-idle");

    assertThat(advice.at("/0/remedies/0/how").asText()).contains("allow_unsafe_interrupts=1");
    assertThat(advice.at("/0/remedies/0/risk").asText()).contains("forge interrupts", "the only way");
  }

  @Test
  void noAdviceWhenTheBestIsChosenOrNothingWouldHelp() throws Exception {
    assertThat(plan("d1-vtd-sriov-dual")).isEmpty();
    assertThat(plan("d2-firecracker-virtio")).isEmpty();
  }

  /**
   * The hardware lab's hosts (b) and (c) differ from (a) by one setting (intel_iommu=off; interrupt
   * remapping off in the emulated firmware): their advice names exactly that, and with it applied
   * they get what (a) gets.
   */
  @Test
  void theLabHostsThatDifferFromAByOneSettingAreAdvisedExactlyThat() throws Exception {
    String a = labPlan("a-vtd-sriov-dual").at("/nics/0/technology").asText();
    JsonNode b = labPlan("b-vtd-off").path("advice");
    JsonNode c = labPlan("c-vtd-no-intremap").path("advice");

    assertThat(a).isEqualTo("sriov");
    assertThat(b).hasSize(1);
    assertThat(b.at("/0/unlocks").asText()).isEqualTo(a);
    assertThat(b.at("/0/remedies")).singleElement().satisfies(r ->
        assertThat(r.path("change").asText()).isEqualTo("kernel command line: add intel_iommu=on"));
    assertThat(c).hasSize(1);
    assertThat(c.at("/0/unlocks").asText()).isEqualTo(a);
    assertThat(c.at("/0/remedies")).singleElement().satisfies(r ->
        assertThat(r.path("how").asText()).contains("allow_unsafe_interrupts=1"));
  }

  private static JsonNode labPlan(String host) throws Exception {
    CliRun run = CliRun.of("plan", "--root", Path.of("../nio-virt-detect/src/test/resources/captures/lab",
        host + ".tar.gz").toString(), "--format", "json");
    assertThat(run.exitCode()).as(run.err()).isZero();
    return new ObjectMapper().readTree(run.out());
  }

  @Test
  void theTableSaysItToo() {
    CliRun run = CliRun.of("plan", "--root", "src/test/resources/captures/d5-vtd-off-rocker.tar.gz");
    assertThat(run.out()).contains("advice for nic 0: sriov instead of virtio", "kernel command line: add intel_iommu=on");
  }
}

package org.niovirt.api.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.request.VirtioAttachment;

/**
 * DeviceUsage shares one store between versions for speed; these tests hold it to what a plain
 * copied map would answer, whichever version is extended and in whatever order.
 */
class DeviceUsageTest {
  private static final PciAddress PF = PciAddress.parse("0000:01:00.0");
  /** VFs at PF + 128 + 2n, as on the 82576 of the d1 capture; 2 exist, 6 can be made. */
  private static final SriovCapability SRIOV = SriovCapability.builder()
      .physicalFunction(PF).totalVfs(8).numVfs(2).offset(128).stride(2)
      .addVf(VirtualFunction.builder().index(0).address(PciAddress.parse("0000:01:10.0")).build())
      .addVf(VirtualFunction.builder().index(1).address(PciAddress.parse("0000:01:10.2")).build())
      .build();

  private static SriovNic vf(int index, int nic) {
    return SriovNic.builder().nicIndex(nic).reason("test").physicalFunction(PF)
        .virtualFunction(SRIOV.vfAddress(index)).vfIndex(index).vfExists(index < 2)
        .requiredNumVfs(Math.max(2, index + 1)).build();
  }

  private static PassthroughNic whole(String address, int nic) {
    return PassthroughNic.builder().nicIndex(nic).reason("test")
        .function(PciAddress.parse(address)).iommuGroup(8).build();
  }

  @Test
  void olderVersionsAndBranchesDoNotSeeLaterDevices() {
    DeviceUsage base = DeviceUsage.of(Map.of(PciAddress.parse("0000:02:00.0"), "db1"));
    DeviceUsage one = base.with("a", vf(0, 0));
    DeviceUsage two = one.with("a", vf(1, 1));
    DeviceUsage branch = one.with("b", vf(2, 0));

    assertThat(base.holders()).containsOnlyKeys(PciAddress.parse("0000:02:00.0"));
    assertThat(one.holders()).containsOnlyKeys(PciAddress.parse("0000:02:00.0"), SRIOV.vfAddress(0));
    assertThat(two.holder(SRIOV.vfAddress(1))).contains("a");
    assertThat(two.inUse(SRIOV.vfAddress(2))).isFalse();
    assertThat(branch.holder(SRIOV.vfAddress(2))).contains("b");
    assertThat(branch.inUse(SRIOV.vfAddress(1))).isFalse();
    assertThat(one.heldVfCount(SRIOV)).isEqualTo(1);
    assertThat(two.heldVfCount(SRIOV)).isEqualTo(2);
    assertThat(branch.heldVfCount(SRIOV)).isEqualTo(2);
    assertThat(base.with("c", vf(3, 0)).holders()).hasSize(2);
  }

  @Test
  void devicesOfDefinedDomainsCountPerPfAndAreNotPlanned() {
    DeviceUsage defined = DeviceUsage.of(Map.of(SRIOV.vfAddress(0), "web1"));
    DeviceUsage planned = defined.with("web2", vf(1, 0))
        .with("nfv", whole("0000:03:00.0", 0));

    assertThat(planned.heldVfCount(SRIOV)).isEqualTo(2);
    assertThat(planned.heldByPlan(SRIOV.vfAddress(0))).isFalse();
    assertThat(planned.heldByPlan(SRIOV.vfAddress(1))).isTrue();
    assertThat(planned.heldByPlan(PciAddress.parse("0000:03:00.0"))).isTrue();
    assertThat(planned.size()).isEqualTo(3);
    assertThat(defined.size()).isEqualTo(1);
  }

  @Test
  void equalWhenTheyHoldTheSame() {
    DeviceUsage built = DeviceUsage.empty().with("a", vf(0, 0));
    DeviceUsage given = DeviceUsage.of(Map.of(SRIOV.vfAddress(0), "a"));

    assertThat(built).isEqualTo(given).hasSameHashCodeAs(given);
    assertThat(built.toString()).isEqualTo("DeviceUsage{holders={0000:01:10.0=a}}");
    assertThat(DeviceUsage.empty().with("a", VirtioNic.builder().nicIndex(0).reason("v")
        .attachment(VirtioAttachment.network("default")).build()))
        .isSameAs(DeviceUsage.empty());
  }

  /** One step: extend version {@code from} (an index into the versions so far) with a device. */
  record Step(int from, int vf, boolean sriov, String guest) {}

  @Property(tries = 300)
  void answersLikeACopiedMap(@ForAll("steps") List<Step> steps) {
    List<DeviceUsage> versions = new ArrayList<>();
    List<Map<PciAddress, String>> models = new ArrayList<>();
    Map<PciAddress, String> definedHolders = Map.of(SRIOV.vfAddress(5), "defined");
    versions.add(DeviceUsage.of(definedHolders));
    models.add(new LinkedHashMap<>(definedHolders));
    for (Step step : steps) {
      int from = step.from() % versions.size();
      NicAssignment assignment = step.sriov() ? vf(step.vf(), 0)
          : whole(SRIOV.vfAddress(step.vf()).toString(), 0);
      versions.add(versions.get(from).with(step.guest(), assignment));
      Map<PciAddress, String> model = new HashMap<>(models.get(from));
      model.put(SRIOV.vfAddress(step.vf()), step.guest());
      models.add(model);
    }
    for (int i = 0; i < versions.size(); i++) {
      DeviceUsage usage = versions.get(i);
      Map<PciAddress, String> model = models.get(i);
      assertThat(usage.holders()).isEqualTo(model);
      assertThat(usage.size()).isEqualTo(model.size());
      for (int vf = 0; vf < SRIOV.totalVfs(); vf++) {
        assertThat(usage.holder(SRIOV.vfAddress(vf)))
            .isEqualTo(java.util.Optional.ofNullable(model.get(SRIOV.vfAddress(vf))));
      }
      assertThat(usage.heldVfCount(SRIOV)).isEqualTo(model.size());
    }
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    return Combinators.combine(Arbitraries.integers().between(0, 40),
            Arbitraries.integers().between(0, 7), Arbitraries.of(true, false),
            Arbitraries.of("g1", "g2", "g3"))
        .as(Step::new).list().ofMaxSize(25);
  }
}

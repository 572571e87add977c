package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.OperState;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.VfCondition;
import org.niovirt.api.plan.VfSurvey;

/**
 * What a PF reports for its VFs over netlink ({@code ip -j link show}, carried in a tree as
 * {@code nio-virt/ip-link.json}), and the sysfs facts that make a VF foreign or lost, on the real
 * d1 capture (82576 PF eth3 with VFs eth4 and eth5). The JSON fixture follows iproute2 6.1's
 * print_vfinfo (address, vlan_list); the older form (mac, vlan) is read too.
 */
class VfAdminStateTest extends ScratchTrees {
  private static final String PF = SyntheticTreesTest.PF;
  private static final String VF0_NET = "sys/devices/pci0000:00/0000:00:04.0/0000:01:10.0/net/eth4";
  private static final String ORPHAN = "52:54:00:0f:00:01";

  private TreeEditor d1WithIpLink(String json) {
    return new TreeEditor(Captures.unpack(Captures.D1, temp.resolve("d1")))
        .write(NetlinkLinkSource.PATH, json);
  }

  private static String fixture() throws IOException {
    return Files.readString(Path.of("src/test/resources/ip-link/d1-orphan-iproute2-6.1.json"));
  }

  private static List<VirtualFunction> vfs(HostInventory inventory) {
    return inventory.function(PciAddress.parse("0000:01:00.0")).orElseThrow().sriov().orElseThrow().vfs();
  }

  private static HostInventory detect(Path root) {
    return HostDetector.forRoot(root).withoutPciIds().detect();
  }

  @Test
  void eachVfGetsItsPfsReportAndTheOrphanMacIsCarried() throws IOException {
    HostInventory inventory = detect(d1WithIpLink(fixture()).root);

    List<VirtualFunction> vfs = vfs(inventory);
    assertThat(vfs.get(0).admin()).hasValueSatisfying(admin -> assertThat(admin.carriesAddress()).isFalse());
    assertThat(vfs.get(1).admin()).contains(new VfAdminState(Optional.of(MacAddress.parse(ORPHAN)), 7,
        Optional.of(true), Optional.of(false), Optional.of("auto")));
    assertThat(inventory.macCarrier(MacAddress.parse(ORPHAN))).hasValueSatisfying(carrier ->
        assertThat(carrier).contains("VF 1 of 0000:01:00.0 (0000:01:10.2) as its administrative MAC"));
    assertThat(VfSurvey.classify(inventory, vfs.get(1), DeviceUsage.empty()))
        .isInstanceOf(VfCondition.Orphaned.class);
    assertThat(VfSurvey.classify(inventory, vfs.get(0), DeviceUsage.empty())).isEqualTo(new VfCondition.Free());
    assertThat(inventory.diagnostics()).noneMatch(d -> d.subject().equals("vf-admin"));

    JsonNode vf1 = InventoryJson.toJson(inventory).findValues("vfs").get(0).path(1).path("admin");
    assertThat(vf1.path("mac").asText()).isEqualTo(ORPHAN);
    assertThat(vf1.path("vlan").asInt()).isEqualTo(7);
    assertThat(vf1.path("spoofCheck").isBoolean()).isTrue();
  }

  @Test
  void theOlderIproute2FormIsReadToo() {
    String older = "[{\"ifname\":\"eth3\",\"vfinfo_list\":[{\"vf\":1,\"mac\":\"52:54:00:0F:00:01\",\"vlan\":7,"
        + "\"spoofchk\":false}]}]";

    VirtualFunction vf1 = vfs(detect(d1WithIpLink(older).root)).get(1);

    assertThat(vf1.admin().flatMap(VfAdminState::mac)).contains(MacAddress.parse(ORPHAN));
    assertThat(vf1.admin().map(VfAdminState::vlan)).contains(7);
    assertThat(vf1.admin().flatMap(VfAdminState::trust)).isEmpty();
  }

  @Test
  void aDamagedReportIsADiagnosticAndTheRestStands() {
    HostInventory inventory = detect(d1WithIpLink("[{\"ifname\":\"eth3\",\"vfinfo_list\":[{\"vf\":1,"
        + "\"address\":\"not-a-mac\"}]}, {").root);

    assertThat(inventory.diagnostics()).anySatisfy(d -> {
      assertThat(d.subject()).isEqualTo("vf-admin");
      assertThat(d.message()).contains(NetlinkLinkSource.PATH, "not JSON");
    });
    assertThat(vfs(inventory)).hasSize(2).allSatisfy(vf -> assertThat(vf.admin()).isEmpty());

    HostInventory badMac = detect(new TreeEditor(temp.resolve("d1"))
        .write(NetlinkLinkSource.PATH, "[{\"ifname\":\"eth3\",\"vfinfo_list\":[{\"vf\":1,\"address\":\"zz\"}]}]").root);
    assertThat(badMac.diagnostics()).anySatisfy(d -> assertThat(d.message()).contains("eth3 vf 1", "zz"));
  }

  @Test
  void aVfWhoseNetdevIsUpWithAnAddressIsForeign() throws IOException {
    TreeEditor tree = d1WithIpLink(fixture()).write(VF0_NET + "/operstate", "up\n");
    HostInventory notRouted = detect(tree.root);
    assertThat(vfs(notRouted).get(0).netdevState()).isEqualTo(OperState.UP);
    assertThat(VfSurvey.classify(notRouted, vfs(notRouted).get(0), DeviceUsage.empty()))
        .as("up without an address").isEqualTo(new VfCondition.Free());

    String routes = Files.readString(tree.root.resolve("proc/net/route"))
        + "eth4\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    HostInventory routed = detect(tree.write("proc/net/route", routes).root);

    VirtualFunction vf0 = vfs(routed).get(0);
    assertThat(vf0.netdevRouted()).isTrue();
    assertThat(VfSurvey.classify(routed, vf0, DeviceUsage.empty())).isEqualTo(
        new VfCondition.Foreign("its netdev eth4 is up with an address on the host"));
    assertThat(VfSurvey.classify(routed, vf0, DeviceUsage.of(java.util.Map.of(vf0.address(), "web1"))))
        .as("a domain's hold comes first").isEqualTo(new VfCondition.Held("web1"));
  }

  @Test
  void aVfThePfCountsButSysfsLacksIsLost() {
    HostInventory inventory = detect(new TreeEditor(Captures.unpack(Captures.D1, temp.resolve("d1")))
        .write(PF + "/sriov_numvfs", "3\n").root);

    List<VfSurvey.Entry> survey = VfSurvey.survey(inventory, DeviceUsage.empty());
    assertThat(survey).hasSize(3);
    assertThat(survey.get(2).address()).contains(PciAddress.parse("0000:01:10.4"));
    assertThat(survey.get(2).condition()).isEqualTo(new VfCondition.Lost(3));
    assertThat(VfSurvey.lost(inventory, PciAddress.parse("0000:01:10.4"))).isPresent();
    assertThat(VfSurvey.lost(inventory, PciAddress.parse("0000:01:10.2"))).as("exists").isEmpty();
  }

  /**
   * The lab's snapshot of emulated host (a) (Linux 6.1, igb 82576, iproute2 6.1): VF 1 got
   * 52:54:00:0f:00:01 by hand through the PF; VF 0 belongs to the stopped guest lab-sriov.
   */
  @Test
  void aRealKernelsReportFromTheLab() {
    HostInventory inventory = HostDetector.forSnapshot(
        Path.of("src/test/resources/captures/lab-vfs/a-vtd-sriov-dual-orphan.tar.gz")).withoutPciIds().detect();
    List<VirtualFunction> vfs = vfs(inventory);

    assertThat(vfs).allSatisfy(vf -> assertThat(vf.admin()).hasValueSatisfying(admin -> {
      assertThat(admin.spoofCheck()).contains(true);
      assertThat(admin.trust()).contains(false);
      assertThat(admin.linkState()).contains("auto");
    }));
    assertThat(vfs.get(1).admin().flatMap(VfAdminState::mac)).contains(MacAddress.parse(ORPHAN));
    DeviceUsage usage = DeviceUsage.of(java.util.Map.of(vfs.get(0).address(), "lab-sriov"));
    assertThat(VfSurvey.survey(inventory, usage)).extracting(e -> e.condition().label())
        .containsExactly("held", "orphaned");
    assertThat(inventory.diagnostics()).noneMatch(d -> d.subject().equals("vf-admin"));
  }

  @Test
  void onThisHostTheReportComesFromIpItself() throws IOException {
    NetlinkLinkSource thisHost = new NetlinkLinkSource(new FileSystemSource(Path.of("/")));

    assertThat(thisHost.kind(NetlinkLinkSource.PATH)).isEqualTo(EntryKind.FILE);
    JsonNode links = new com.fasterxml.jackson.databind.ObjectMapper().readTree(thisHost.read(NetlinkLinkSource.PATH));
    assertThat(links.isArray()).isTrue();
    assertThat(links.findValuesAsText("ifname")).contains("lo");
  }

  @Test
  void aSnapshotCarriesTheReport() throws IOException {
    TreeEditor tree = d1WithIpLink(fixture());
    Path tarGz = temp.resolve("snapshot.tar.gz");

    HostSnapshot.capture(tree.root, tarGz);

    HostInventory fromSnapshot = HostDetector.forSnapshot(tarGz).withoutPciIds().detect();
    assertThat(vfs(fromSnapshot).get(1).admin().flatMap(VfAdminState::mac)).contains(MacAddress.parse(ORPHAN));
  }
}

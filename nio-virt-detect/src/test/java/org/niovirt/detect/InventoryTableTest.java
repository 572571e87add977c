package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The table shows what a person checks first: cards and ports, VFs, IOMMU, groups, management. */
class InventoryTableTest {
  @Test
  void d1ShowsTheCardsTheVfsTheIommuAndTheGroups() {
    String table = InventoryTable.render(Captures.detect(Captures.D1));

    assertThat(table)
        .contains("Management interfaces: eth0")
        .contains("NETWORK CARDS (3)")
        .contains("Card 0000:02:00: 2 ports")
        .contains("Card 0000:01:00: 1 port\n")
        .containsPattern("0000:00:03\\.0 .*Virtio network device .*MANAGEMENT")
        .contains("0000:01:00.0  Intel Corporation 82576 Gigabit Network Connection  [8086:10c9] ethernet")
        .contains("driver igb, NUMA node -, PCIe 2.5 GT/s PCIe x1, IOMMU group 7")
        .contains("eth3  52:54:00:12:34:57  up  1000 Mb/s")
        .contains("SR-IOV: 2 of 7 VFs, VF device 10ca, offset 128, stride 2")
        .containsPattern("VF 1  0000:01:10\\.2  driver igbvf  eth5  \\S+  IOMMU group 10")
        .contains("can create 5 more: 0000:01:10.4, 0000:01:10.6, 0000:01:11.0, 0000:01:11.2, 0000:01:11.4")
        .contains("vendor Intel VT-d, present yes, enabled yes, units dmar0")
        .contains("interrupt remapping yes (firmware support yes)")
        .contains("kernel parameters intel_iommu=on")
        .contains("IOMMU GROUPS (11)")
        .containsPattern("\n  8 +no +0000:02:00\\.0 +020000 +e1000e\n +0000:02:00\\.1 +020000 +e1000e\n")
        .containsPattern("\n  4 +yes +0000:00:04\\.0 +060400 +pcieport \\(bridge\\)\n")
        .contains("DIAGNOSTICS (0 host-wide)");
  }

  @Test
  void d2ShowsAVirtioOnlyHostWithoutIommu() {
    String table = InventoryTable.render(Captures.detect(Captures.D2));

    assertThat(table)
        .contains("NETWORK CARDS (1)")
        .containsPattern("0000:00:03\\.0 .*\\[1af4:1041\\] ethernet  MANAGEMENT")
        .contains("eth0  02:fc:00:00:00:01  up  speed -  management")
        .contains("vendor none, present no, enabled no, units -")
        .contains("IOMMU GROUPS (0)\n  none");
  }

  @Test
  void d4SaysThatTheUnboundPfCannotCreateVfsYet() {
    String table = InventoryTable.render(Captures.detect(Captures.D4));

    assertThat(table).containsPattern("0000:02:00\\.0 [^\n]*\n      driver none[^\n]*\n      no netdev\n"
        + "      SR-IOV: 0 of 8 VFs[^\n]*\n        can create 8 more[^\n]*\n"
        + "        \\(no driver bound: the kernel creates VFs only once a PF driver is bound\\)\n");
  }

  @Test
  void d6ShowsBothNetdevsOfTheRockerFunctionWithTheirPortNames() {
    String table = InventoryTable.render(Captures.detect(Captures.D6));

    assertThat(table)
        .contains("Card 0000:00:06: 1 port\n")
        .contains("eth1  52:54:00:12:35:01  up  10000 Mb/s  dev_port 0  port sw0p1")
        .contains("eth2  52:54:00:12:35:02  up  10000 Mb/s  dev_port 0  port sw0p2");
  }
}

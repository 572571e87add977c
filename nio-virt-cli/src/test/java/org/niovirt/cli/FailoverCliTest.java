package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code plan --live-migration} on a capture with a free VF: the failover pair, both teamings in the XML. */
class FailoverCliTest {
  private static final String D1 = "src/test/resources/captures/d1-vtd-sriov-dual.tar.gz";

  @Test
  void aFreeVfGivesAMigratableGuestTheFailoverPair() {
    CliRun run = CliRun.of("plan", "--root", D1, "--live-migration", "--xml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("nic 0 -> SRIOV", "virtio-net failover",
        "<teaming type=\"transient\" persistent=\"ua-failover-standby0\"/>", "<teaming type=\"persistent\"/>");
  }

  /** Pinned to vtd: the igb PF (alone in its group) is the primary, the standby takes its MAC. */
  @Test
  void aWholeFunctionCanBeThePrimaryWithItsOwnMac() {
    CliRun run = CliRun.of("plan", "--root", D1, "--live-migration", "--pin", "vtd", "--xml");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("nic 0 -> VTD", "sharing the function's own MAC 52:54:00:12:34:57",
        "<teaming type=\"transient\" persistent=\"ua-failover-standby0\"/>",
        "<mac address=\"52:54:00:12:34:57\"/>", "<teaming type=\"persistent\"/>");
  }

  @Test
  void noFailoverGivesPlainVirtio() {
    CliRun run = CliRun.of("plan", "--root", D1, "--live-migration", "--no-failover", "--xml");

    assertThat(run.out()).contains("nic 0 -> VIRTIO").doesNotContain("<teaming");
  }
}

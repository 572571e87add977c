package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.niovirt.api.model.PciAddress;
import org.niovirt.libvirt.testing.TestHosts;

/**
 * The event-kept ledger against changes made behind its back: a second connection to the same
 * in-process test driver stands for {@code virsh} or another tool. Each change is checked right
 * after the call that made it returns, with no sleep: the ledger must not answer from a stale copy.
 */
class DomainLedgerTest {
  private static final PciAddress FIRST = PciAddress.parse("0000:0a:00.1", "test");
  private static final PciAddress SECOND = PciAddress.parse("0000:0a:00.2", "test");
  @TempDir Path dir;

  private static String domainHolding(String name, UUID uuid, PciAddress device) {
    return "<domain type='test'><name>" + name + "</name><uuid>" + uuid + "</uuid>"
        + "<memory unit='MiB'>64</memory><vcpu>1</vcpu><os><type>hvm</type></os><devices>"
        + "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000'"
        + " bus='0x0a' slot='0x00' function='0x" + device.function() + "'/></source></hostdev>"
        + "</devices></domain>";
  }

  @Test
  void definesChangesAndUndefinesByAnotherClientShowAtOnce() throws Exception {
    UUID uuid = UUID.randomUUID();
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, TestHosts.options(dir).build())) {
      Connect other = new Connect(LibvirtHost.DEFAULT_URI);
      try {
        assertThat(host.deviceUsage().inUse(FIRST)).isFalse(); // the ledger is read once here

        Domain domain = other.domainDefineXML(domainHolding("ledger-outsider", uuid, FIRST));
        assertThat(host.deviceUsage().holder(FIRST)).contains("ledger-outsider");

        other.domainDefineXML(domainHolding("ledger-outsider", uuid, SECOND));
        assertThat(host.deviceUsage().inUse(FIRST)).as("freed by the redefine").isFalse();
        assertThat(host.deviceUsage().holder(SECOND)).contains("ledger-outsider");

        domain.create();
        assertThat(host.list()).filteredOn(g -> g.uuid().equals(uuid))
            .singleElement().satisfies(g -> assertThat(g.state()).isEqualTo(DomainState.RUNNING));

        domain.destroy();
        domain.undefine();
        assertThat(host.deviceUsage().inUse(SECOND)).isFalse();
        assertThat(TestHosts.names(host.list())).doesNotContain("ledger-outsider");
      } finally {
        other.close();
      }
    }
  }

  @Test
  void aLedgerWithoutEventsStillReadsTheTruthEveryTime() throws Exception {
    UUID uuid = UUID.randomUUID();
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, TestHosts.options(dir).build())) {
      DomainLedger deaf = new DomainLedger((EventedConnect) host.connection());
      deaf.close(); // no events from here on: every refresh must fall back to reading all
      Connect other = new Connect(LibvirtHost.DEFAULT_URI);
      try {
        deaf.refresh();
        Domain domain = other.domainDefineXML(domainHolding("ledger-deaf", uuid, FIRST));
        deaf.refresh();
        assertThat(deaf.usage().holder(FIRST)).contains("ledger-deaf");
        other.domainDefineXML(domainHolding("ledger-deaf", uuid, SECOND));
        deaf.refresh();
        assertThat(deaf.usage().holder(SECOND)).as("a change no event announced is still seen").contains("ledger-deaf");
        domain.undefine();
      } finally {
        other.close();
      }
    }
  }
}

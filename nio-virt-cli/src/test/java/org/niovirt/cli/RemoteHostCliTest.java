package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.niovirt.libvirt.testing.LoopbackSshd;

/**
 * The launcher against a host reached over SSH (real sshd and libvirtd on 127.0.0.1): its hardware
 * is read there, and commands that may change it open SSH access to it (lock, sysfs, ip, journal
 * there). Skipped without sshd on 127.0.0.1:22 unless NIOVIRT_REQUIRE_SSHD is set (CI).
 */
class RemoteHostCliTest {
  private static final String URI = LoopbackSshd.URI;

  @BeforeAll
  static void sshd() {
    LoopbackSshd.requireOrSkip();
  }

  @Test
  void theInventoryOfAnSshUriIsThatHostsAndEqualsTheLocalOne() {
    CliRun remote = CliRun.of("inventory", "--connect", URI);
    CliRun local = CliRun.of("inventory");

    assertThat(remote.exitCode()).as(remote.err()).isZero();
    assertThat(remote.err()).contains("Detecting the network cards of ssh://root@127.0.0.1");
    assertThat(remote.out().replace("Host: ssh://root@127.0.0.1", "Host: /")).isEqualTo(local.out());
  }

  @Test
  void aCommandThatMayChangeTheHostOpensSshAccessToIt() {
    CliRun check = CliRun.of("host", "check", "--connect", URI);

    assertThat(check.err()).as(check.out()).contains("Opening SSH access to ssh://root@127.0.0.1",
        "Connecting to " + URI);
    assertThat(check.exitCode()).as(check.err()).isIn(ExitCode.OK, ExitCode.GUESTS_CANNOT_START);
  }
}

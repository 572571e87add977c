package org.niovirt.libvirt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSH's sshd on 127.0.0.1:22 (scripts/start-test-sshd.sh; root logs in with a test key named
 * in ~/.ssh/config) for the tests of hosts reached over SSH.
 */
public final class LoopbackSshd {
  /** This machine's libvirtd through libvirt's SSH transport. */
  public static final String URI = "qemu+ssh://root@127.0.0.1/system";
  public static final String REQUIRE_ENV = "NIOVIRT_REQUIRE_SSHD";

  private LoopbackSshd() {}

  /** Skips the test without that sshd, or fails where {@value #REQUIRE_ENV} is set (CI). */
  public static void requireOrSkip() {
    boolean listening;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", 22), 2000);
      listening = true;
    } catch (IOException e) {
      listening = false;
    }
    if (System.getenv(REQUIRE_ENV) != null) {
      assertThat(listening).as("sshd on 127.0.0.1:22 (scripts/start-test-sshd.sh)").isTrue();
    }
    Assumptions.assumeTrue(listening, "no sshd on 127.0.0.1:22: run scripts/start-test-sshd.sh");
  }
}

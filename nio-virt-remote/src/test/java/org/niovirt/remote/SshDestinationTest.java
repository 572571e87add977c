package org.niovirt.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;

class SshDestinationTest {
  @Test
  void anSshUriGivesUserHostPortKeyAndKnownHosts() {
    SshDestination d = SshDestination.fromLibvirtUri(
        "qemu+ssh://admin@rack1-a:2222/system?keyfile=/k/id%20a&known_hosts=/k/kh&mode=direct").orElseThrow();

    assertThat(d).isEqualTo(new SshDestination(Optional.of("admin"), "rack1-a", Optional.of(2222),
        Optional.of(Path.of("/k/id a")), Optional.of(Path.of("/k/kh")), true));
    assertThat(d.describe()).isEqualTo("ssh://admin@rack1-a:2222");
  }

  @Test
  void localAndOtherTransportsAreNotSsh() {
    assertThat(SshDestination.isSsh("qemu:///system")).isFalse();
    assertThat(SshDestination.isSsh("test:///default")).isFalse();
    assertThat(SshDestination.isSsh("qemu+tls://host/system")).isFalse();
    assertThat(SshDestination.isSsh("qemu+libssh2://host/system")).isTrue();
  }

  @Test
  void noVerifyIsHonouredOnlyWhenAsked() {
    assertThat(SshDestination.fromLibvirtUri("qemu+ssh://h/system?no_verify=1").orElseThrow().verifyHostKey())
        .isFalse();
    assertThat(SshDestination.fromLibvirtUri("qemu+ssh://h/system?no_verify=0").orElseThrow().verifyHostKey())
        .isTrue();
  }

  @Test
  void aUriWithoutHostOrNotAUriIsRefusedNamingIt() {
    assertThatThrownBy(() -> SshDestination.fromLibvirtUri("qemu+ssh:///system"))
        .isInstanceOfSatisfying(InvalidInputException.class, e -> {
          assertThat(e.field()).isEqualTo("uri");
          assertThat(e.value()).isEqualTo("qemu+ssh:///system");
        });
    assertThatThrownBy(() -> SshDestination.fromLibvirtUri("qemu+ssh://a b/system"))
        .isInstanceOf(InvalidInputException.class);
  }
}

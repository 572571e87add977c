package org.niovirt.api.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.MacAddress;

class RequestValidatorTest {
  private static GuestNetworkRequest guest(UnaryOperator<ImmutableNicRequest.Builder> nic) {
    return GuestNetworkRequest.builder().guestName("web1")
        .addNic(nic.apply(NicRequest.builder()).build()).build();
  }

  private static InvalidInputException rejected(GuestNetworkRequest request) {
    try {
      RequestValidator.validate(request);
    } catch (InvalidInputException e) {
      return e;
    }
    throw new AssertionError("accepted: " + request);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, 65})
  void nicCountOutOfRange(int count) {
    InvalidInputException e = rejected(guest(n -> n.count(count)));
    assertThat(e.field()).isEqualTo("nics[0].count");
    assertThat(e.value()).isEqualTo(String.valueOf(count));
    assertThat(e).hasMessageContaining("must be 1 to 64");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 4095, -3, 5000})
  void vlanOutsideOneTo4094(int vlan) {
    InvalidInputException e = rejected(guest(n -> n.vlan(vlan)));
    assertThat(e.field()).isEqualTo("nics[0].vlan");
    assertThat(e).hasMessage("nics[0].vlan: invalid value '" + vlan + "': must be 1 to 4094");
  }

  @Test
  void vlanBoundsAreAccepted() {
    RequestValidator.validate(guest(n -> n.vlan(1)));
    RequestValidator.validate(guest(n -> n.vlan(4094)));
  }

  @Test
  void aFrontEndNamesTheFieldsAsItsUsersTypedThem() {
    FieldNames options = new FieldNames() {
      @Override
      public String vlan(int nic) {
        return "--vlan";
      }
    };
    try {
      RequestValidator.validate(guest(n -> n.vlan(5000)), options);
      throw new AssertionError("accepted");
    } catch (InvalidInputException e) {
      assertThat(e.field()).isEqualTo("--vlan");
      assertThat(e.expectation()).isEqualTo("must be 1 to 4094");
    }
    assertThat(rejected(guest(n -> n.vlan(5000))).field()).isEqualTo("nics[0].vlan");
  }

  @Test
  void theAllZeroMacIsNoNicsAddress() {
    InvalidInputException e = rejected(guest(n -> n.addMac(MacAddress.parse("00:00:00:00:00:00"))));
    assertThat(e.field()).isEqualTo("nics[0].macs");
    assertThat(e).hasMessageContaining("all-zero");
  }

  @ParameterizedTest
  @ValueSource(strings = {".", "..", "lo"})
  void dotNamesAndLoopbackAreNoInterfacesToPlugInto(String name) {
    assertThat(rejected(guest(n -> n.virtioAttachment(VirtioAttachment.bridge(name)))).field())
        .isEqualTo("nics[0].virtioAttachment.bridge");
    assertThat(rejected(guest(n -> n.virtioAttachment(VirtioAttachment.direct(name)))).field())
        .isEqualTo("nics[0].virtioAttachment.direct");
  }

  @Test
  void multicastOrRepeatedMacs() {
    assertThat(rejected(guest(n -> n.addMac(MacAddress.parse("01:00:5e:00:00:01")))).field())
        .isEqualTo("nics[0].macs");
    MacAddress mac = MacAddress.parse("52:54:00:00:00:01");
    assertThat(rejected(guest(n -> n.count(2).addMacs(mac, mac)))).hasMessageContaining("twice");
    assertThat(rejected(guest(n -> n.addMacs(mac, MacAddress.parse("52:54:00:00:00:02")))))
        .hasMessageContaining("more MACs (2) than NICs (1)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-x", "a b", "x/y", "name;rm", "ä"})
  void guestNamesThatAreNotSafe(String name) {
    InvalidInputException e = rejected(GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.of(1)).build());
    assertThat(e.field()).isEqualTo("guestName");
    assertThat(e.value()).isEqualTo(name);
  }

  @Test
  void attachmentNamesAreCheckedPerVariant() {
    assertThat(rejected(guest(n -> n.virtioAttachment(VirtioAttachment.bridge("br0; reboot")))).field())
        .isEqualTo("nics[0].virtioAttachment.bridge");
    assertThat(rejected(guest(n -> n.virtioAttachment(VirtioAttachment.direct("a-very-long-ifname0")))).field())
        .isEqualTo("nics[0].virtioAttachment.direct");
    RequestValidator.validate(guest(n -> n.virtioAttachment(VirtioAttachment.network("default"))));
  }

  @Test
  void contradictionsAreRefused() {
    assertThat(rejected(guest(n -> n.pinned(Technology.SRIOV).addExcluded(Technology.SRIOV))).field())
        .isEqualTo("nics[0].pinned");
    assertThat(rejected(guest(n -> n.pinned(Technology.VTD).liveMigration(true).failover(false))))
        .hasMessageContaining("live migration without a failover pair needs virtio");
    assertThat(rejected(guest(n -> n.pinned(Technology.SRIOV).liveMigration(true).failover(false))))
        .hasMessageContaining("a host device cannot migrate");
    assertThat(rejected(GuestNetworkRequest.builder().guestName("g").build()).field()).isEqualTo("nics");
    assertThat(rejected(GuestNetworkRequest.builder().guestName("g").vcpus(0)
        .addNic(NicRequest.of(1)).build()).field()).isEqualTo("vcpus");
  }

  @Test
  void technologyNamesParseOrNameTheField() {
    assertThat(Technology.parse("SR-IOV".replace("-", ""), "pin")).isEqualTo(Technology.SRIOV);
    assertThat(Technology.parse("vtd", "pin")).isEqualTo(Technology.VTD);
    assertThatThrownBy(() -> Technology.parse("e1000", "--pin"))
        .hasMessage("--pin: invalid value 'e1000': expected one of sriov, vtd, virtio");
  }
}

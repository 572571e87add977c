package org.niovirt.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.niovirt.api.error.InvalidInputException;
import org.junit.jupiter.api.Test;

class PciAddressTest {
  @Test
  void parsesFullAndShortForms() {
    assertThat(PciAddress.parse("0000:02:00.1")).isEqualTo(PciAddress.of(0, 2, 0, 1));
    assertThat(PciAddress.parse("01:10.2")).isEqualTo(PciAddress.of(0, 1, 0x10, 2));
    assertThat(PciAddress.parse("abcd:ff:1f.7").toString()).isEqualTo("abcd:ff:1f.7");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0000:zz:00.0", "0000:02:00.8", "0000:02:20.0", "", "02:00", "0000:02:00.0 x"})
  void malformedAddressesNameTheFieldAndValue(String text) {
    assertThatThrownBy(() -> PciAddress.parse(text, "hostDevice"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("hostDevice: invalid value '" + text + "'")
        .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("hostDevice"));
  }

  @Test
  void sriovRoutingIdsCrossSlotsAndBuses() {
    // 82576 PF 01:00.0 with offset 128, stride 2: VF0 = 01:10.0, VF1 = 01:10.2 (real capture).
    PciAddress pf = PciAddress.parse("0000:01:00.0");
    assertThat(pf.plusRoutingId(128)).isEqualTo(PciAddress.parse("0000:01:10.0"));
    assertThat(pf.plusRoutingId(130)).isEqualTo(PciAddress.parse("0000:01:10.2"));
    assertThat(PciAddress.parse("0000:01:1f.7").plusRoutingId(1)).isEqualTo(PciAddress.parse("0000:02:00.0"));
  }

  @Property
  void printingAndParsingRoundTrip(
      @ForAll @IntRange(max = 0xffff) int domain, @ForAll @IntRange(max = 0xff) int bus,
      @ForAll @IntRange(max = 0x1f) int slot, @ForAll @IntRange(max = 7) int function) {
    PciAddress address = PciAddress.of(domain, bus, slot, function);
    assertThat(PciAddress.parse(address.toString())).isEqualTo(address);
    assertThat(address.slotId()).isEqualTo(address.toString().substring(0, 10));
  }

  @Test
  void domainsWiderThanFourDigitsAsVmdAndMultiSegmentHostsHave() {
    PciAddress vmd = PciAddress.parse("10000:00:04.0");
    assertThat(vmd.domain()).isEqualTo(0x10000);
    assertThat(vmd).hasToString("10000:00:04.0");
    assertThat(vmd.slotId()).isEqualTo("10000:00:04");
    assertThat(PciAddress.parse("ffffffff:01:00.0")).hasToString("ffffffff:01:00.0")
        .isGreaterThan(vmd);
    assertThat(vmd).isGreaterThan(PciAddress.parse("ffff:ff:1f.7"));
  }

  @Property
  void widePrintingAndParsingRoundTrip(@ForAll int domain, @ForAll @IntRange(max = 0xff) int bus) {
    PciAddress address = PciAddress.of(domain, bus, 3, 1);
    assertThat(PciAddress.parse(address.toString())).isEqualTo(address);
  }

  @Property
  void orderFollowsRoutingIds(@ForAll @IntRange(max = 0xfffe) int rid) {
    PciAddress a = PciAddress.of(0, 0, 0, 0).plusRoutingId(rid);
    assertThat(a.compareTo(a.plusRoutingId(1))).isNegative();
  }
}

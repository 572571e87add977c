package org.niovirt.api.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.niovirt.api.error.InvalidInputException;

class MacAddressTest {
  @Test
  void canonicalisesCaseAndDashes() {
    assertThat(MacAddress.parse("52-54-00-AB-cd-01").value()).isEqualTo("52:54:00:ab:cd:01");
  }

  @ParameterizedTest
  @ValueSource(strings = {"52:54:00:ab:cd", "52:54:00:ab:cd:0g", "525400abcd01", "52:54:00:ab:cd:01:02", ""})
  void malformedMacsNameTheFieldAndValue(String text) {
    assertThatThrownBy(() -> MacAddress.parse(text, "nics[0].macs"))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("nics[0].macs: invalid value '" + text
            + "': expected a MAC address of six hex octets such as 52:54:00:12:34:56");
  }

  @Test
  void knowsMulticast() {
    assertThat(MacAddress.parse("01:00:5e:00:00:01").isMulticast()).isTrue();
    assertThat(MacAddress.parse("52:54:00:00:00:01").isMulticast()).isFalse();
  }
}

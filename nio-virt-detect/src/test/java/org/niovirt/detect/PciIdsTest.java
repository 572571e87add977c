package org.niovirt.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PciIdsTest {
  @Test
  void findsVendorsAndDevicesButNotSubsystemsOrClasses() {
    PciIds ids = PciIds.load(Captures.pciIds());

    assertThat(ids.vendor(0x8086)).contains("Intel Corporation");
    assertThat(ids.device(0x8086, 0x10ca)).contains("82576 Virtual Function");
    assertThat(ids.device(0x15b3, 0x1003)).contains("MT27500 Family [ConnectX-3]");
    // "\t\t1014 04b5  PCIe3 40GbE..." is a subsystem of 15b3:1003, not device 1014.
    assertThat(ids.device(0x15b3, 0x1014)).isEmpty();
    // Devices belong to their vendor's block only.
    assertThat(ids.device(0x1af4, 0x10c9)).isEmpty();
    assertThat(ids.vendor(0xabcd)).isEmpty();
    // "C 02  Network controller" starts the class list, which holds no vendors.
    assertThat(ids.vendor(0x0002)).isEmpty();
    assertThat(ids.origin()).isEqualTo(Captures.pciIds().toString());
  }

  @Test
  void aMissingOrOddFileGivesNoNamesAndNoError(@TempDir Path temp) throws IOException {
    assertThat(PciIds.load(temp.resolve("missing")).vendor(0x8086)).isEmpty();
    assertThat(PciIds.load(temp.resolve("missing")).origin()).isEqualTo("none");
    Path odd = Files.writeString(temp.resolve("odd.ids"), "8086\n\t10c9\nzzzz  Nobody\n1af4  Red Hat, Inc.\n");
    PciIds ids = PciIds.load(odd);
    assertThat(ids.vendor(0x8086)).isEmpty();
    assertThat(ids.device(0x8086, 0x10c9)).isEmpty();
    assertThat(ids.vendor(0x1af4)).contains("Red Hat, Inc.");
    assertThat(ids.device(0x1af4, 0x1000)).isEmpty();
  }
}

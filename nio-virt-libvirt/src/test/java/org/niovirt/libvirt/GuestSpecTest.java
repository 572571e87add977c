package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.niovirt.api.error.InvalidInputException;

class GuestSpecTest {
  private static ImmutableGuestSpec.Builder valid() {
    return GuestSpec.builder().name("g1").memoryMiB(128)
        .boot(BootSource.disk(Path.of("/images/g1.qcow2"), DiskFormat.QCOW2));
  }

  @Test
  void uuidIsGeneratedOnceWhenNotGiven() {
    GuestSpec spec = valid().build();

    assertThat(spec.uuid()).isNotNull().isEqualTo(spec.uuid());
    assertThat(valid().build().uuid()).isNotEqualTo(spec.uuid());
  }

  @Test
  void badValuesNameTheFieldAndValue() {
    assertThatThrownBy(() -> valid().name("-bad name").build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("name: invalid value '-bad name'");
    assertThatThrownBy(() -> valid().memoryMiB(4).build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("memoryMiB: invalid value '4'");
    assertThatThrownBy(() -> valid().vcpus(0).build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("vcpus: invalid value '0'");
    assertThatThrownBy(() -> valid().boot(BootSource.disk(Path.of("rel.img"), DiskFormat.RAW)).build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("boot.image: invalid value 'rel.img'");
    assertThatThrownBy(() -> valid().serialLog(Path.of("console.log")).build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("serialLog");
    assertThatThrownBy(() -> valid().machine("q35 -device x").build())
        .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("machine");
  }

  @Test
  void acceleratorParsesCaseInsensitivelyAndNamesTheFieldOnError() {
    assertThat(Accelerator.parse("Qemu", "accelerator")).isEqualTo(Accelerator.QEMU);
    assertThatThrownBy(() -> Accelerator.parse("hvf", "accelerator"))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("accelerator: invalid value 'hvf'");
  }
}

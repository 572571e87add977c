package org.niovirt.libvirt.xml;

import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/**
 * A {@code <serial>} or {@code <console>}: {@code type='file'} with {@code <source path=.../>}
 * (the guest's console written to a file) or {@code type='pty'}.
 */
@Value.Immutable
public interface CharDeviceXml {
  /** {@code file}, {@code pty}, ... */
  String type();

  /** {@code <source path=.../>}. */
  Optional<String> sourcePath();

  /** {@code <target type='serial'/>} of a console; absent on a serial. */
  Optional<String> targetType();

  OptionalInt targetPort();

  static CharDeviceXml file(String path) {
    return builder().type("file").sourcePath(path).targetPort(0).build();
  }

  static CharDeviceXml pty() {
    return builder().type("pty").targetPort(0).build();
  }

  static ImmutableCharDeviceXml.Builder builder() {
    return ImmutableCharDeviceXml.builder();
  }
}

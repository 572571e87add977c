package org.niovirt.api.model;

import org.immutables.value.Value;

/** Something the detector could not read or understand, and on what. */
@Value.Immutable(builder = false)
public interface Diagnostic {
  /** What it is about: a PCI address, a file, or {@code iommu}. */
  @Value.Parameter
  String subject();

  @Value.Parameter
  String message();

  static Diagnostic of(String subject, String message) {
    return ImmutableDiagnostic.of(subject, message);
  }
}

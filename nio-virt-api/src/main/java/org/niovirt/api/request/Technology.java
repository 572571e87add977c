package org.niovirt.api.request;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.niovirt.api.error.InvalidInputException;

/** The ways a guest NIC can reach the network, best first in the default policy order. */
public enum Technology {
  /** A virtual function of an SR-IOV NIC: near line rate, host CPU spared. */
  SRIOV("sriov"),
  /** A whole PCI function handed to the guest through the IOMMU (vfio). */
  VTD("vtd"),
  /** Paravirtual virtio-net: always possible, migratable, slowest of the three. */
  VIRTIO("virtio");

  private final String id;

  Technology(String id) {
    this.id = id;
  }

  /** The short name used in plans, the CLI and JSON. */
  public String id() {
    return id;
  }

  public static Technology parse(String text, String field) {
    for (Technology t : values()) {
      if (t.id.equalsIgnoreCase(text == null ? "" : text.trim())
          || t.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
        return t;
      }
    }
    throw new InvalidInputException(field, text, "expected one of "
        + Arrays.stream(values()).map(Technology::id).collect(Collectors.joining(", ")));
  }

  @Override
  public String toString() {
    return id;
  }
}

package org.niovirt.api.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.immutables.value.Value;

/** The host's IOMMU: present in firmware, enabled in the kernel, and with which safeguards. */
@Value.Immutable
public abstract class IommuState {
  public abstract IommuVendor vendor();

  /** Whether the ACPI DMAR/IVRS tables could be read (they are root-only). */
  @Value.Default
  public Tristate acpiTableReadable() {
    return Tristate.UNKNOWN;
  }

  /** Hardware present: an ACPI table or IOMMU units. */
  public abstract boolean present();

  /** Enabled: the kernel built IOMMU groups. */
  public abstract boolean enabled();

  /** Units under {@code /sys/class/iommu}, e.g. {@code dmar0}. */
  public abstract List<String> units();

  @Value.Default
  public String kernelCommandLine() {
    return "";
  }

  /** {@code iommu=pt}: host DMA bypasses translation (fine for assignment, faster for the host). */
  @Value.Default
  public boolean passthroughMode() {
    return false;
  }

  /** Interrupt remapping in effect; without it a guest could inject interrupts (CVE-class risk). */
  @Value.Default
  public Tristate interruptRemapping() {
    return Tristate.UNKNOWN;
  }

  /**
   * Interrupt remapping the firmware supports: DMAR flags bit 0 (Intel); {@code UNKNOWN} when the
   * table is unreadable or says nothing (AMD IVRS). Compare {@link #interruptRemapping()}, the
   * kernel's use of it.
   */
  @Value.Default
  public Tristate interruptRemappingSupported() {
    return Tristate.UNKNOWN;
  }

  /**
   * The IOMMU-related parameters of the kernel command line, in order, e.g. {@code intel_iommu=on},
   * {@code iommu=pt}, {@code intremap=off}.
   */
  public abstract List<String> kernelParameters();

  /** vfio_iommu_type1's {@code allow_unsafe_interrupts}: vfio accepts hosts without remapping. */
  @Value.Default
  public boolean allowUnsafeInterrupts() {
    return false;
  }

  public abstract List<IommuGroup> groups();

  public Optional<IommuGroup> group(int id) {
    return Optional.ofNullable(groupsById().get(id));
  }

  /** Groups by number, built once: providers look a group up for every candidate of every NIC. */
  @Value.Lazy
  public Map<Integer, IommuGroup> groupsById() {
    return groups().stream()
        .collect(Collectors.toUnmodifiableMap(IommuGroup::id, Function.identity(), (a, b) -> a));
  }

  public static IommuState none() {
    return builder().vendor(IommuVendor.NONE).present(false).enabled(false).build();
  }

  public static ImmutableIommuState.Builder builder() {
    return ImmutableIommuState.builder();
  }
}

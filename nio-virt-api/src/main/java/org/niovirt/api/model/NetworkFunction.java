package org.niovirt.api.model;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;

/** One PCI network function: a port of a card (a physical function, never a VF). */
@Value.Immutable
public abstract class NetworkFunction {
  public abstract PciAddress address();

  /** The 24-bit PCI class code, e.g. 0x020000 for Ethernet. */
  public abstract int classCode();

  @Value.Derived
  public NetworkClass networkClass() {
    return NetworkClass.fromClassCode(classCode());
  }

  public abstract int vendorId();

  public abstract int deviceId();

  /** From the system's pci.ids; empty when that file is missing. */
  public abstract Optional<String> vendorName();

  public abstract Optional<String> deviceName();

  /** The bound kernel driver; empty when unbound. */
  public abstract Optional<String> driver();

  public abstract OptionalInt numaNode();

  public abstract Optional<PcieLink> pcieLink();

  public abstract List<NetDev> netdevs();

  /**
   * The netdev of its first port (lowest {@code dev_port}): the one a PF's VFs are configured
   * through, and whose MAC the function reports as its own.
   */
  public Optional<NetDev> firstPortNetdev() {
    return netdevs().stream().min(Comparator.comparingInt(NetDev::devPort));
  }

  public abstract OptionalInt iommuGroup();

  public abstract Optional<SriovCapability> sriov();

  /** What went wrong while reading this function; the rest of it is still usable. */
  public abstract List<String> diagnostics();

  /** True when any of its netdevs carries the default route. */
  public boolean isManagement() {
    return netdevs().stream().anyMatch(NetDev::management);
  }

  /** Human-readable model, e.g. {@code Intel Corporation 82576 Gigabit Network Connection}. */
  public String displayName() {
    String ids = String.format("%04x:%04x", vendorId(), deviceId());
    return deviceName().map(d -> vendorName().map(v -> v + " " + d).orElse(d)).orElse(ids);
  }

  public static ImmutableNetworkFunction.Builder builder() {
    return ImmutableNetworkFunction.builder();
  }
}

package org.niovirt.libvirt;

import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.immutables.value.Value;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.Tristate;

/** Host facts that libvirt's node devices do not carry, for {@link NodeDeviceInventory}. */
@Value.Immutable
public abstract class NodeDeviceInventoryOptions {
  /** Interfaces carrying the default route: never given to a guest. */
  public abstract Set<String> managementInterfaces();

  @Value.Default
  public IommuVendor iommuVendor() {
    return IommuVendor.UNKNOWN;
  }

  /** Node devices cannot tell; the VT-d provider decides what UNKNOWN means under its policy. */
  @Value.Default
  public Tristate interruptRemapping() {
    return Tristate.UNKNOWN;
  }

  @Value.Default
  public boolean vhostNetAvailable() {
    return false;
  }

  /**
   * A folder holding {@code sys/} to read {@code sriov_offset}/{@code sriov_stride} from (node
   * device XML lacks them). Without it they are derived from two existing VFs, or VF creation on
   * that PF is left out of the inventory.
   */
  public abstract Optional<Path> hostRoot();

  public static NodeDeviceInventoryOptions defaults() {
    return builder().build();
  }

  public static ImmutableNodeDeviceInventoryOptions.Builder builder() {
    return ImmutableNodeDeviceInventoryOptions.builder();
  }
}

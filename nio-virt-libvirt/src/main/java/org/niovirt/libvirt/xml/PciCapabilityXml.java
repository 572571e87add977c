package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;

/** {@code <capability type='pci'>} of a node device. */
@Value.Immutable
public interface PciCapabilityXml {
  PciAddress address();

  /** 24-bit class code ({@code <class>0x020000</class>}); absent in old libvirt versions. */
  OptionalInt classCode();

  int vendorId();

  Optional<String> vendorName();

  int productId();

  Optional<String> productName();

  /** {@code <capability type='phys_function'>}: set on a VF. */
  Optional<PciAddress> physicalFunction();

  /** {@code <capability type='virt_functions'>}: the VFs that exist, in virtfn order. */
  List<PciAddress> virtualFunctions();

  /** The {@code maxCount} attribute of virt_functions: {@code sriov_totalvfs}. */
  OptionalInt maxVirtualFunctions();

  OptionalInt iommuGroup();

  List<PciAddress> iommuGroupMembers();

  OptionalInt numaNode();

  /** The negotiated link ({@code <link validity='sta' speed='8' width='4'/>}), speed in GT/s. */
  Optional<String> linkSpeed();

  OptionalInt linkWidth();

  static ImmutablePciCapabilityXml.Builder builder() {
    return ImmutablePciCapabilityXml.builder();
  }
}

package org.niovirt.api.model;

/** Which IOMMU the firmware describes. */
public enum IommuVendor {
  /** ACPI DMAR table. */
  INTEL_VTD,
  /** ACPI IVRS table. */
  AMD_VI,
  /** No table and no IOMMU units. */
  NONE,
  /** Tables unreadable (not root) and no other sign. */
  UNKNOWN
}

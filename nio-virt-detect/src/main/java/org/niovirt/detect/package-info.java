/**
 * Host detection: {@link org.niovirt.detect.HostDetector} builds the
 * {@link org.niovirt.api.model.HostInventory} from sysfs, procfs and the ACPI tables under a root
 * directory (or a snapshot), {@link org.niovirt.detect.HostSnapshot} captures what it reads, and
 * {@link org.niovirt.detect.InventoryJson} / {@link org.niovirt.detect.InventoryTable} print it.
 */
package org.niovirt.detect;

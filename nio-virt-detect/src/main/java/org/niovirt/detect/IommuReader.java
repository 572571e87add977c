package org.niovirt.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.niovirt.api.model.ImmutableIommuGroup;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;

/** The IOMMU as firmware, kernel command line, sysfs and interrupt chips describe it. */
final class IommuReader {
  static final String ACPI_TABLES = "sys/firmware/acpi/tables";
  static final String GROUPS = "sys/kernel/iommu_groups";
  static final String UNITS = "sys/class/iommu";
  static final String ALLOW_UNSAFE_INTERRUPTS =
      "sys/module/vfio_iommu_type1/parameters/allow_unsafe_interrupts";
  /** Command-line parameters that decide whether and how the IOMMU and vfio work. */
  private static final Pattern IOMMU_PARAMETER = Pattern.compile(
      "(intel_iommu|amd_iommu|amd_iommu_intr|iommu|intremap|ivrs_[a-z]+)=.*"
          + "|(iommu|vfio_iommu_type1|vfio-pci|vfio_pci)\\..*");
  private static final Pattern REMAPPED_CHIP = Pattern.compile("(^|\\s)IR-");

  private final AttributeReader files;
  private final BiFunction<PciAddress, String, PciDevice> devices;
  private final Map<PciAddress, Integer> groupOf = new ConcurrentHashMap<>();

  /** {@code devices} returns the one {@link PciDevice} of an address, given its resolved dir. */
  IommuReader(AttributeReader files, BiFunction<PciAddress, String, PciDevice> devices) {
    this.files = files;
    this.devices = devices;
  }

  /** The IOMMU group of a device, as listed under /sys/kernel/iommu_groups. */
  OptionalInt groupOf(PciAddress address) {
    Integer group = groupOf.get(address);
    return group == null ? OptionalInt.empty() : OptionalInt.of(group);
  }

  IommuState read(String commandLine) {
    List<String> parameters = iommuParameters(commandLine);
    List<IommuGroup> groups = readGroups();
    List<String> units = readUnits();

    Optional<AcpiTable> dmar = readTable("DMAR");
    Optional<AcpiTable> ivrs = readTable("IVRS");
    boolean dmarExists = exists(ACPI_TABLES + "/DMAR");
    boolean ivrsExists = exists(ACPI_TABLES + "/IVRS");

    IommuVendor vendor;
    if (dmarExists || units.stream().anyMatch(u -> u.startsWith("dmar"))) {
      vendor = IommuVendor.INTEL_VTD;
    } else if (ivrsExists || units.stream().anyMatch(u -> u.startsWith("ivhd"))) {
      vendor = IommuVendor.AMD_VI;
    } else {
      vendor = units.isEmpty() ? IommuVendor.NONE : IommuVendor.UNKNOWN;
    }
    Tristate tableReadable = Tristate.UNKNOWN;
    if (dmarExists || ivrsExists) {
      tableReadable = Tristate.of((!dmarExists || dmar.isPresent()) && (!ivrsExists || ivrs.isPresent()));
    }
    Tristate remappingSupported = dmar
        .flatMap(AcpiTable::dmarInterruptRemapping)
        .map(Tristate::of)
        .orElse(Tristate.UNKNOWN);

    if (!groups.isEmpty() && units.isEmpty()) {
      files.problem("IOMMU groups exist but no IOMMU unit: vfio no-IOMMU mode or an incomplete tree;"
          + " such groups give no DMA isolation");
    }
    return IommuState.builder()
        .vendor(vendor)
        .acpiTableReadable(tableReadable)
        .present(dmarExists || ivrsExists || !units.isEmpty())
        .enabled(!groups.isEmpty() && !units.isEmpty())
        .units(units)
        .kernelCommandLine(commandLine)
        .kernelParameters(parameters)
        .passthroughMode(passthrough(parameters))
        .interruptRemapping(interruptRemapping())
        .interruptRemappingSupported(remappingSupported)
        .allowUnsafeInterrupts(allowUnsafeInterrupts(parameters))
        .groups(groups)
        .build();
  }

  static List<String> iommuParameters(String commandLine) {
    List<String> parameters = new ArrayList<>();
    for (String token : commandLine.trim().split("\\s+")) {
      if (token.equals("--")) {
        break; // what follows is for init, not the kernel
      }
      if (IOMMU_PARAMETER.matcher(token).matches()) {
        parameters.add(token);
      }
    }
    return parameters;
  }

  /** The last word wins, as in the kernel: {@code iommu=pt} or {@code iommu.passthrough=1}. */
  static boolean passthrough(List<String> parameters) {
    boolean passthrough = false;
    for (String parameter : parameters) {
      if (parameter.equals("iommu=pt")) {
        passthrough = true;
      } else if (parameter.equals("iommu=nopt")) {
        passthrough = false;
      } else if (parameter.startsWith("iommu.passthrough=")) {
        passthrough = isTrue(parameter.substring("iommu.passthrough=".length()));
      }
    }
    return passthrough;
  }

  private static boolean isTrue(String value) {
    switch (value.toLowerCase(Locale.ROOT)) {
      case "1": case "y": case "yes": case "on": case "true":
        return true;
      default:
        return false;
    }
  }

  private boolean exists(String path) {
    return files.exists(path);
  }

  private Optional<AcpiTable> readTable(String signature) {
    return files.bytes(ACPI_TABLES + "/" + signature).map(bytes -> {
      AcpiTable table = AcpiTable.parse(signature, bytes);
      table.problems.forEach(files::problem);
      return table;
    });
  }

  private List<String> readUnits() {
    List<String> units = new ArrayList<>();
    for (String unit : files.list(UNITS)) {
      // Visiting the link keeps it in a snapshot; its target is not needed.
      files.exists(UNITS + "/" + unit);
      units.add(unit);
    }
    return units;
  }

  private List<IommuGroup> readGroups() {
    List<IommuGroup> groups = new ArrayList<>();
    List<Integer> ids = new ArrayList<>();
    for (String name : files.list(GROUPS)) {
      try {
        ids.add(Integer.parseInt(name));
      } catch (NumberFormatException e) {
        files.problem(GROUPS + "/" + name + ": not a group number");
      }
    }
    ids.sort(Integer::compare);
    // Groups are read in parallel, each reporting to its own list; problems then go out in order.
    List<GroupRead> reads = Parallel.map(ids, id -> {
      List<String> problems = new ArrayList<>();
      Optional<IommuGroup> group = readGroup(id, files.reportingTo(problems::add));
      return new GroupRead(group, problems);
    });
    for (GroupRead read : reads) {
      read.problems().forEach(files::problem);
      read.group().ifPresent(groups::add);
    }
    return groups;
  }

  private record GroupRead(Optional<IommuGroup> group, List<String> problems) {}

  /** A group whose member list cannot be read is left out, so its devices count as ungrouped. */
  private Optional<IommuGroup> readGroup(int id, AttributeReader files) {
    String devicesDir = GROUPS + "/" + id + "/devices";
    int before = files.problemCount();
    List<String> names = files.list(devicesDir);
    if (files.problemCount() > before) {
      return Optional.empty();
    }
    if (names.isEmpty()) {
      files.problem("IOMMU group " + id + ": no members listed; the group is left out");
      return Optional.empty();
    }
    ImmutableIommuGroup.Builder group = IommuGroup.builder().id(id);
    for (String name : names) {
      PciAddress address;
      try {
        address = PciAddress.parse(name, devicesDir);
      } catch (RuntimeException e) {
        files.problem("IOMMU group " + id + ": member '" + name
            + "' is not a PCI address; the group is left out");
        return Optional.empty();
      }
      Optional<String> directory = files.resolveLinkQuietly(devicesDir + "/" + name);
      if (directory.isEmpty()) {
        files.problem("IOMMU group " + id + ": member " + name + " leads nowhere"
            + " (removed during the scan?); counted as blocking the group");
        group.addMember(IommuGroupMember.builder().address(address).classCode(0).complete(false).build());
        continue;
      }
      PciDevice device = devices.apply(address, directory.get());
      groupOf.put(address, id);
      OptionalInt classCode = device.classCode();
      Optional<String> driver = device.driver();
      group.addMember(IommuGroupMember.builder()
          .address(address)
          .classCode(classCode.orElse(0))
          .driver(driver)
          .complete(classCode.isPresent() && device.driverReadable())
          .build());
    }
    return Optional.of(group.build());
  }

  private Tristate interruptRemapping() {
    Optional<String> interrupts = files.optionalText("proc/interrupts");
    if (interrupts.isPresent()) {
      return Tristate.of(REMAPPED_CHIP.matcher(interrupts.get()).find());
    }
    // Without /proc/interrupts the chip of each IRQ is still named in sysfs.
    List<String> irqs = files.list("sys/kernel/irq");
    if (irqs.isEmpty()) {
      return Tristate.UNKNOWN;
    }
    for (String irq : irqs) {
      Optional<String> chip = files.optionalText("sys/kernel/irq/" + irq + "/chip_name");
      if (chip.isPresent() && chip.get().startsWith("IR-")) {
        return Tristate.YES;
      }
    }
    return Tristate.NO;
  }

  private boolean allowUnsafeInterrupts(List<String> parameters) {
    Optional<String> loaded = files.optionalText(ALLOW_UNSAFE_INTERRUPTS);
    if (loaded.isPresent()) {
      return isTrue(loaded.get());
    }
    // Not loaded yet: the command line sets what the module will use once loaded.
    boolean allow = false;
    for (String parameter : parameters) {
      if (parameter.startsWith("vfio_iommu_type1.allow_unsafe_interrupts=")) {
        allow = isTrue(parameter.substring(parameter.indexOf('=') + 1));
      }
    }
    return allow;
  }
}

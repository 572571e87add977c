package org.niovirt.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.niovirt.api.text.Printable;
import org.niovirt.api.model.Diagnostic;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.NetDev;
import org.niovirt.api.model.NetworkCard;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.model.VfAdminState;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.text.Printable;

/**
 * The inventory as text for people: cards with their ports and netdevs, PFs with their VFs, the
 * IOMMU and its groups with viability, the management NIC and every diagnostic.
 */
public final class InventoryTable {
  private static final String NONE = "-";

  private InventoryTable() {}

  public static String render(HostInventory inventory) {
    StringBuilder out = new StringBuilder();
    out.append("Host: ").append(inventory.source()).append('\n');
    out.append("Management interfaces: ")
        .append(inventory.managementInterfaces().isEmpty()
            ? "none (no default route)" : String.join(", ", inventory.managementInterfaces()))
        .append(inventory.managementUnknownBecause()
            .map(why -> "; UNKNOWN: " + why + ", so every NIC that may carry traffic is kept from guests")
            .orElse(""))
        .append('\n');
    out.append("vhost-net: ").append(inventory.vhostNetAvailable() ? "available" : "not available")
        .append("\n\n");
    renderCards(inventory, out);
    renderIommu(inventory.iommu(), out);
    renderDiagnostics(inventory, out);
    // Names and messages come from the host tree: a captured tree must not drive the terminal.
    return Printable.escapeLines(out.toString());
  }

  private static void renderCards(HostInventory inventory, StringBuilder out) {
    out.append("NETWORK CARDS (").append(inventory.cards().size()).append(")\n");
    if (inventory.cards().isEmpty()) {
      out.append("  none\n");
    }
    for (NetworkCard card : inventory.cards()) {
      out.append("  Card ").append(card.slotId()).append(": ").append(card.portCount())
          .append(card.portCount() == 1 ? " port" : " ports").append('\n');
      for (NetworkFunction port : card.ports()) {
        renderPort(inventory, port, out);
      }
    }
    out.append('\n');
  }

  private static void renderPort(HostInventory inventory, NetworkFunction port, StringBuilder out) {
    out.append("    ").append(port.address()).append("  ").append(port.displayName())
        .append(String.format("  [%04x:%04x] %s", port.vendorId(), port.deviceId(),
            port.networkClass().name().toLowerCase(Locale.ROOT)))
        .append(inventory.managementFunctions().contains(port.address()) ? "  MANAGEMENT" : "")
        .append('\n');
    out.append("      driver ").append(port.driver().orElse("none"))
        .append(", NUMA node ").append(text(port.numaNode()))
        .append(", PCIe ").append(port.pcieLink()
            .map(l -> l.speed() + " x" + l.width()).orElse(NONE))
        .append(", IOMMU group ").append(text(port.iommuGroup()))
        .append('\n');
    if (port.netdevs().isEmpty()) {
      out.append("      no netdev\n");
    }
    for (NetDev netdev : port.netdevs()) {
      out.append("      ").append(netdev.name())
          .append("  ").append(netdev.mac().map(Object::toString).orElse(NONE))
          .append("  ").append(netdev.operState().name().toLowerCase(Locale.ROOT))
          .append("  ").append(netdev.speedMbps().isPresent()
              ? netdev.speedMbps().getAsInt() + " Mb/s" : "speed " + NONE)
          .append(port.netdevs().size() > 1 ? "  dev_port " + netdev.devPort() : "")
          .append(netdev.physPortName().map(name -> "  port " + name).orElse(""))
          .append(netdev.management() ? "  management" : "")
          .append('\n');
    }
    port.sriov().ifPresent(sriov -> renderSriov(inventory, sriov, out));
    if (port.sriov().isPresent() && port.driver().isEmpty()
        && port.sriov().get().numVfs() < port.sriov().get().totalVfs()) {
      out.append("        (no driver bound: the kernel creates VFs only once a PF driver is bound)\n");
    }
    for (String diagnostic : port.diagnostics()) {
      out.append("      ! ").append(diagnostic).append('\n');
    }
  }

  private static void renderSriov(HostInventory inventory, SriovCapability sriov, StringBuilder out) {
    out.append("      SR-IOV: ").append(sriov.numVfs()).append(" of ").append(sriov.totalVfs())
        .append(" VFs");
    if (sriov.vfDeviceId().isPresent()) {
      out.append(String.format(", VF device %04x", sriov.vfDeviceId().getAsInt()));
    }
    if (sriov.layoutKnown()) {
      out.append(", offset ").append(sriov.offset()).append(", stride ").append(sriov.stride());
    } else {
      out.append(", offset and stride unknown (no VF can be created)");
    }
    out.append('\n');
    for (VirtualFunction vf : sriov.vfs()) {
      out.append("        VF ").append(vf.index()).append("  ").append(vf.address())
          .append("  driver ").append(vf.driver().orElse("none"))
          .append("  ").append(vf.netdev().orElse(NONE))
          .append("  ").append(vf.mac().map(Object::toString).orElse(NONE))
          .append("  IOMMU group ").append(text(vf.iommuGroup()))
          .append(inventory.managementFunctions().contains(vf.address()) ? "  MANAGEMENT" : "")
          .append(vf.admin().filter(VfAdminState::carriesAddress)
              .map(admin -> "  PF sets " + admin.describeAddress()).orElse(""))
          .append('\n');
    }
    List<PciAddress> creatable = sriov.creatableVfAddresses();
    if (!creatable.isEmpty()) {
      out.append("        can create ").append(creatable.size()).append(" more: ")
          .append(creatable.stream().map(Object::toString).collect(Collectors.joining(", ")))
          .append('\n');
    }
  }

  private static void renderIommu(IommuState iommu, StringBuilder out) {
    out.append("IOMMU\n");
    out.append("  vendor ").append(vendorName(iommu)).append(", present ").append(yesNo(iommu.present()))
        .append(", enabled ").append(yesNo(iommu.enabled()))
        .append(", units ").append(iommu.units().isEmpty() ? NONE : String.join(" ", iommu.units()))
        .append('\n');
    out.append("  ACPI table readable ").append(text(iommu.acpiTableReadable()))
        .append(", interrupt remapping ").append(text(iommu.interruptRemapping()))
        .append(" (firmware support ").append(text(iommu.interruptRemappingSupported())).append(")")
        .append(", allow_unsafe_interrupts ").append(yesNo(iommu.allowUnsafeInterrupts()))
        .append('\n');
    out.append("  kernel parameters ")
        .append(iommu.kernelParameters().isEmpty() ? NONE : String.join(" ", iommu.kernelParameters()))
        .append(iommu.passthroughMode() ? " (passthrough mode)" : "")
        .append("\n\n");
    out.append("IOMMU GROUPS (").append(iommu.groups().size()).append(")\n");
    if (iommu.groups().isEmpty()) {
      out.append("  none\n");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"GROUP", "VIABLE", "MEMBER", "CLASS", "DRIVER"});
      for (IommuGroup group : iommu.groups()) {
        boolean first = true;
        for (IommuGroupMember member : group.members()) {
          rows.add(new String[] {
              first ? String.valueOf(group.id()) : "",
              first ? yesNo(group.viable()) : "",
              member.address().toString(),
              member.complete() ? String.format("%06x", member.classCode()) : "?",
              member.driver().orElse(member.complete() ? NONE : "?")
                  + (member.isBridge() ? " (bridge)" : "")});
          first = false;
        }
      }
      appendColumns(rows, out);
    }
    out.append('\n');
  }

  private static void renderDiagnostics(HostInventory inventory, StringBuilder out) {
    out.append("DIAGNOSTICS (").append(inventory.diagnostics().size()).append(" host-wide)\n");
    if (inventory.diagnostics().isEmpty()) {
      out.append("  none\n");
    }
    for (Diagnostic diagnostic : inventory.diagnostics()) {
      out.append("  ").append(diagnostic.subject()).append(": ").append(diagnostic.message())
          .append('\n');
    }
  }

  private static void appendColumns(List<String[]> rows, StringBuilder out) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder("  ");
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
  }

  private static String vendorName(IommuState iommu) {
    switch (iommu.vendor()) {
      case INTEL_VTD: return "Intel VT-d";
      case AMD_VI: return "AMD-Vi";
      case NONE: return "none";
      default: return "unknown";
    }
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  private static String text(Tristate value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String text(OptionalInt value) {
    return value.isPresent() ? String.valueOf(value.getAsInt()) : NONE;
  }

  static String text(Optional<?> value) {
    return value.map(Object::toString).orElse(NONE);
  }
}

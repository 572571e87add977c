package org.niovirt.api.advice;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableIommuGroupMember;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;

/**
 * Changes on a running host that need no reboot: moving a group member that the host keeps to
 * vfio-pci, binding an SR-IOV PF's own driver, and freeing the devices another guest holds. Each is a {@link Candidate} the
 * {@link Advisor} proves by planning again.
 */
final class HostRemedies {
  /** The driver a re-plan assumes after the advice: the kernel picks the real one by modalias. */
  private static final String PLACEHOLDER_DRIVER = "its network driver";

  private HostRemedies() {}

  /**
   * For every IOMMU group that holds a network function: each member that is neither a bridge,
   * nor a network function (those go to the guest along), nor already off the host, moved to
   * vfio-pci.
   */
  static List<Candidate> groupMembersToVfio(HostInventory inventory) {
    List<Candidate> candidates = new ArrayList<>();
    for (IommuGroup group : inventory.iommu().groups()) {
      boolean hasNetworkFunction = group.members().stream()
          .anyMatch(m -> inventory.function(m.address()).isPresent());
      if (!hasNetworkFunction) {
        continue;
      }
      for (IommuGroupMember member : group.members()) {
        if (member.isBridge() || member.allowsAssignment() || inventory.function(member.address()).isPresent()) {
          continue;
        }
        String device = member.address().toString();
        String driver = member.driver().orElse("its driver");
        Remedy remedy = new Remedy("IOMMU group " + group.id() + ": give " + device + " (class "
            + String.format("%06x", member.classCode()) + ", " + driver + ") to vfio-pci, so that the group can go to a guest",
            "echo vfio-pci > /sys/bus/pci/devices/" + device + "/driver_override; echo " + device
                + " > /sys/bus/pci/devices/" + device + "/driver/unbind; echo " + device
                + " > /sys/bus/pci/drivers_probe (for every boot: vfio-pci.ids= on the kernel command line"
                + " or a udev rule setting driver_override)",
            false, false, Optional.of("the host loses " + device + " (" + driver + ") until it is bound"
                + " back; never do this to a disk controller the host runs from"));
        candidates.add(new Candidate(remedy, host -> withVfio(host, group.id(), member.address()),
            UnaryOperator.identity()));
      }
    }
    return candidates;
  }

  /**
   * For every SR-IOV PF that no guest holds and that has no driver, or sits on vfio-pci/pci-stub:
   * its own network driver bound, which alone can create and run VFs. The kernel finds that driver
   * from the function's modalias, so the advice needs no module name.
   */
  static List<Candidate> pfDriversToLoad(HostInventory inventory, DeviceUsage usage) {
    List<Candidate> candidates = new ArrayList<>();
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      Optional<String> driver = pf.driver();
      if (usage.inUse(pf.address())
          || driver.filter(d -> !IommuGroupMember.ASSIGNMENT_DRIVERS.contains(d)).isPresent()) {
        continue;
      }
      String device = pf.address().toString();
      String sysfs = "/sys/bus/pci/devices/" + device;
      Remedy remedy = driver.isEmpty()
          ? new Remedy("PF " + device + ": load its network driver (none is bound)",
              "modprobe $(cat " + sysfs + "/modalias)", false, false, Optional.empty())
          : new Remedy("PF " + device + ": give it back to its network driver (it is on " + driver.get() + ")",
              "echo " + device + " > " + sysfs + "/driver/unbind; echo > " + sysfs + "/driver_override; echo "
                  + device + " > /sys/bus/pci/drivers_probe", false, false,
              Optional.of("whatever bound it to " + driver.get() + " on purpose (a DPDK application, another"
                  + " tool) loses it"));
      candidates.add(new Candidate(remedy, host -> withDriver(host, pf, PLACEHOLDER_DRIVER), UnaryOperator.identity()));
    }
    return candidates;
  }

  private static HostInventory withDriver(HostInventory host, NetworkFunction pf, String driver) {
    NetworkFunction bound = ImmutableNetworkFunction.copyOf(pf).withDriver(driver);
    return Advisor.withPorts(host, f -> f.address().equals(pf.address()) ? bound : f);
  }

  /** For every guest that holds devices: those devices freed (the guest destroyed or moved to virtio). */
  static List<Candidate> devicesHeldByGuests(DeviceUsage usage) {
    Map<String, List<PciAddress>> byGuest = new TreeMap<>();
    usage.holders().forEach((device, guest) -> byGuest.computeIfAbsent(guest, g -> new ArrayList<>()).add(device));
    List<Candidate> candidates = new ArrayList<>();
    byGuest.forEach((guest, devices) -> {
      Remedy remedy = new Remedy("guest " + guest + ": free the " + (devices.size() == 1 ? "device" : "devices")
          + " it holds (" + devices.stream().map(PciAddress::toString).reduce((a, b) -> a + ", " + b).orElse("")
          + ")", "nio-virt destroy " + guest + " (stops and undefines it: a defined domain keeps its devices"
          + " even while shut off), or define it again with a virtio NIC", false, false,
          Optional.of("guest " + guest + " loses those devices, and its network on them"));
      candidates.add(new Candidate(remedy, UnaryOperator.identity(), held -> without(held, guest)));
    });
    return candidates;
  }

  private static DeviceUsage without(DeviceUsage usage, String guest) {
    Map<PciAddress, String> rest = new LinkedHashMap<>(usage.holders());
    rest.values().removeIf(guest::equals);
    return DeviceUsage.of(rest);
  }

  private static HostInventory withVfio(HostInventory host, int groupId, PciAddress address) {
    List<IommuGroup> groups = new ArrayList<>();
    for (IommuGroup group : host.iommu().groups()) {
      if (group.id() != groupId) {
        groups.add(group);
        continue;
      }
      List<IommuGroupMember> members = new ArrayList<>();
      group.members().forEach(m -> members.add(m.address().equals(address)
          ? ImmutableIommuGroupMember.copyOf(m).withDriver("vfio-pci") : m));
      groups.add(IommuGroup.builder().from(group).members(members).build());
    }
    return Advisor.withIommu(host, iommu -> iommu.groups(groups));
  }
}

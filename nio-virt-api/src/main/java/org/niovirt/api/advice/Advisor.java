package org.niovirt.api.advice;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.ImmutableHostInventory;
import org.niovirt.api.model.ImmutableIommuState;
import org.niovirt.api.model.ImmutableNetworkCard;
import org.niovirt.api.model.ImmutableNetworkFunction;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuGroupMember;
import org.niovirt.api.model.IommuState;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.Technology;

/**
 * For every guest NIC whose best technology was refused, the smallest set of host changes (kernel
 * command line, firmware, the unsafe-interrupts opt-out) that makes a better one the planner's
 * choice, proven by planning the guest again against the inventory with the changes applied.
 * Single changes are tried before pairs. An IOMMU that gets enabled is modelled with one group per
 * function (what ACS-capable root ports give; a host without ACS may group more).
 */
public final class Advisor {
  private Advisor() {}

  public static List<Advice> advise(NetworkIoPlanner planner, HostInventory inventory,
      GuestNetworkRequest request, DeviceUsage usage, GuestNetworkPlan plan) {
    List<Technology> order = planner.policy().order();
    List<Candidate> candidates = candidates(inventory.iommu());
    candidates.addAll(HostRemedies.groupMembersToVfio(inventory));
    candidates.addAll(HostRemedies.pfDriversToLoad(inventory, usage));
    candidates.addAll(HostRemedies.devicesHeldByGuests(usage));
    List<Advice> advice = new ArrayList<>();
    for (NicExplanation nic : plan.explanations()) {
      if (order.indexOf(nic.chosen()) <= 0) {
        continue; // already the best there is
      }
      Optional<Advice> found = search(planner, inventory, request, usage, nic, candidates, order);
      found.ifPresent(advice::add);
    }
    return advice;
  }

  private static Optional<Advice> search(NetworkIoPlanner planner, HostInventory inventory, GuestNetworkRequest request,
      DeviceUsage usage, NicExplanation nic, List<Candidate> candidates, List<Technology> order) {
    List<List<Candidate>> sets = new ArrayList<>();
    candidates.forEach(c -> sets.add(List.of(c)));
    for (int i = 0; i < candidates.size(); i++) {
      for (int j = i + 1; j < candidates.size(); j++) {
        sets.add(List.of(candidates.get(i), candidates.get(j)));
      }
    }
    for (List<Candidate> set : sets) {
      HostInventory changed = inventory;
      DeviceUsage freed = usage;
      for (Candidate candidate : set) {
        changed = candidate.host().apply(changed);
        freed = candidate.usage().apply(freed);
      }
      try {
        GuestNetworkPlan replanned = planner.plan(changed, request, freed);
        Technology now = replanned.explanations().get(nic.nicIndex()).chosen();
        if (order.indexOf(now) < order.indexOf(nic.chosen())) {
          return Optional.of(new Advice(nic.nicIndex(), nic.chosen(), now, set.stream().map(Candidate::remedy).toList(),
              "re-planned with " + (set.size() == 1 ? "this change" : "these changes") + ": nic " + nic.nicIndex()
                  + " gets " + now.id() + " instead of " + nic.chosen().id()));
        }
      } catch (PlanningException | InvalidInputException e) {
        // This set does not make the guest plannable; try the next.
      }
    }
    return Optional.empty();
  }

  private static List<Candidate> candidates(IommuState iommu) {
    List<Candidate> candidates = new ArrayList<>();
    boolean amd = iommu.vendor() == IommuVendor.AMD_VI;
    String word = amd ? "amd_iommu=on" : "intel_iommu=on";
    String kernelLine = "add " + word + " to GRUB_CMDLINE_LINUX in /etc/default/grub, then update-grub";
    if (iommu.present() && !iommu.enabled()) {
      candidates.add(new Candidate(new Remedy("kernel command line: add " + word, kernelLine, true, false,
          Optional.empty()), Advisor::withIommuEnabled, UnaryOperator.identity()));
    }
    if (!iommu.present()) {
      candidates.add(new Candidate(new Remedy("firmware: enable " + (amd ? "AMD-Vi" : "VT-d (or AMD-Vi)")
          + " and SR-IOV in the firmware setup, and add " + word + " to the kernel command line",
          "firmware setup (BIOS/UEFI); " + kernelLine, true, true, Optional.empty()), Advisor::withIommuEnabled,
          UnaryOperator.identity()));
    }
    if (iommu.interruptRemapping() != Tristate.YES && !iommu.allowUnsafeInterrupts()) {
      if (iommu.interruptRemappingSupported() != Tristate.NO) {
        candidates.add(new Candidate(new Remedy("interrupt remapping: enable it (firmware: x2APIC/interrupt"
            + " remapping; kernel: no intremap=off or nointremap)", "firmware setup and the kernel command line in"
            + " /etc/default/grub", true, true, Optional.empty()),
            host -> withIommu(host, b -> b.interruptRemapping(Tristate.YES)), UnaryOperator.identity()));
      }
      candidates.add(new Candidate(new Remedy("vfio: allow unsafe interrupts",
          "echo 'options vfio_iommu_type1 allow_unsafe_interrupts=1' > /etc/modprobe.d/nio-virt-unsafe.conf",
          true, false, Optional.of("without interrupt remapping a guest with an assigned device can forge"
              + " interrupts (MSI) to the host and attack it; only for guests you trust"
              + (iommu.interruptRemappingSupported() == Tristate.NO
                  ? " (the firmware reports no interrupt remapping support: this is the only way)" : ""))),
          host -> withIommu(host, b -> b.allowUnsafeInterrupts(true)), UnaryOperator.identity()));
    }
    return candidates;
  }

  static HostInventory withIommu(HostInventory host, UnaryOperator<ImmutableIommuState.Builder> change) {
    return ImmutableHostInventory.copyOf(host).withIommu(change.apply(IommuState.builder().from(host.iommu())).build());
  }

  /** The IOMMU on, each network function and VF in a group of its own. */
  private static HostInventory withIommuEnabled(HostInventory host) {
    List<IommuGroup> groups = new ArrayList<>(host.iommu().groups());
    int[] id = {1000};
    host.functions().forEach(function -> {
      groups.add(IommuGroup.builder().id(id[0]++).addMembers(IommuGroupMember.builder().address(function.address())
          .classCode(function.classCode()).driver(function.driver()).build()).build());
    });
    return withIommu(withPorts(host, f -> inGroup(f, groups)), b -> b.present(true).enabled(true).groups(groups)
        .units(host.iommu().units().isEmpty() ? List.of(host.iommu().vendor() == IommuVendor.AMD_VI ? "ivhd0" : "dmar0")
            : host.iommu().units()));
  }

  /** The host with every port function of every card passed through {@code change}. */
  static HostInventory withPorts(HostInventory host, UnaryOperator<NetworkFunction> change) {
    return ImmutableHostInventory.copyOf(host).withCards(host.cards().stream()
        .map(card -> ImmutableNetworkCard.copyOf(card).withPorts(card.ports().stream().map(change).toList()))
        .toList());
  }

  /** The function with the group it is the member of (unchanged when it has one already). */
  private static NetworkFunction inGroup(NetworkFunction function, List<IommuGroup> groups) {
    if (function.iommuGroup().isPresent()) {
      return function;
    }
    int id = groups.stream().filter(g -> g.members().stream().anyMatch(m -> m.address().equals(function.address())))
        .mapToInt(IommuGroup::id).findFirst().orElseThrow();
    return ImmutableNetworkFunction.copyOf(function).withIommuGroup(id);
  }
}

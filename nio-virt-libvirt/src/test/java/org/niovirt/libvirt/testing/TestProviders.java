package org.niovirt.libvirt.testing;

import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.model.VirtualFunction;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

/**
 * Minimal virtio and SR-IOV providers for this module's tests, registered explicitly, so the
 * launch path is tested on its own (the real providers live in nio-virt-virtio and nio-virt-sriov).
 */
public final class TestProviders {
  private TestProviders() {}

  public static NetworkIoPlanner planner() {
    return NetworkIoPlanner.builder().provider(new Virtio()).provider(new FirstFreeVf()).build();
  }

  /** A virtio NIC on the request's attachment, one queue pair per vCPU. */
  public static final class Virtio implements NetworkIoProvider {
    @Override
    public Technology technology() {
      return Technology.VIRTIO;
    }

    @Override
    public Proposal propose(PlanningContext context) {
      return Proposal.accept(VirtioNic.builder()
          .nicIndex(context.nicIndex())
          .mac(context.mac())
          .attachment(context.nic().virtioAttachment())
          .queues(Math.min(context.vcpus(), context.policy().maxVirtioQueues()))
          .reason("virtio needs nothing from the host")
          .build());
    }
  }

  /** The first VF (existing first, then creatable) of any SR-IOV PF that no domain holds. */
  public static final class FirstFreeVf implements NetworkIoProvider {
    @Override
    public Technology technology() {
      return Technology.SRIOV;
    }

    @Override
    public Proposal propose(PlanningContext context) {
      for (NetworkFunction pf : (Iterable<NetworkFunction>) context.inventory().functions()::iterator) {
        if (pf.sriov().isEmpty() || context.inventory().managementFunctions().contains(pf.address())) {
          continue;
        }
        SriovCapability sriov = pf.sriov().get();
        for (VirtualFunction vf : sriov.vfs()) {
          if (!context.usage().inUse(vf.address())) {
            return Proposal.accept(nic(context, pf, vf.address(), vf.index(), true, sriov.numVfs()));
          }
        }
        for (int index = sriov.numVfs(); index < sriov.totalVfs(); index++) {
          PciAddress address = sriov.vfAddress(index);
          if (!context.usage().inUse(address)) {
            return Proposal.accept(nic(context, pf, address, index, false, index + 1));
          }
        }
      }
      return Proposal.reject("no free VF: every VF of every SR-IOV PF is held by a domain");
    }

    private static SriovNic nic(PlanningContext context, NetworkFunction pf, PciAddress vf,
        int index, boolean exists, int requiredNumVfs) {
      return SriovNic.builder()
          .nicIndex(context.nicIndex())
          .mac(context.mac())
          .physicalFunction(pf.address())
          .physicalFunctionNetdev(pf.netdevs().stream().findFirst().map(n -> n.name()))
          .virtualFunction(vf)
          .vfIndex(index)
          .vfExists(exists)
          .requiredNumVfs(requiredNumVfs)
          .vlan(context.nic().vlan())
          .reason("VF " + index + " of " + pf.address() + " is free")
          .build();
    }
  }
}

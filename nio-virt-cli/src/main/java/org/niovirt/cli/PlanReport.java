package org.niovirt.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.plan.PassthroughNic;
import org.niovirt.api.plan.SriovNic;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.plan.VirtioNic;
import org.niovirt.api.request.Technology;
import org.niovirt.cli.common.GuestPlanning;

/** A plan for people (each NIC's choice, then every verdict) and for programs (JSON). */
final class PlanReport {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private PlanReport() {}

  static String text(GuestPlanning planning) {
    GuestNetworkPlan plan = planning.plan();
    StringBuilder out = new StringBuilder();
    int nics = plan.assignments().size();
    out.append("Guest ").append(plan.guestName()).append(": ").append(nics)
        .append(nics == 1 ? " NIC" : " NICs").append(", ").append(planning.spec().vcpus())
        .append(" vCPU, ").append(planning.spec().memoryMiB()).append(" MiB\n");
    for (NicExplanation explanation : plan.explanations()) {
      NicAssignment nic = plan.assignments().get(explanation.nicIndex());
      out.append(String.format(Locale.ROOT, "  nic %d -> %s: %s%n", nic.nicIndex(),
          nic.technology().id().toUpperCase(Locale.ROOT), device(nic)));
      for (Verdict verdict : explanation.verdicts()) {
        out.append(String.format(Locale.ROOT, "    %-7s %-9s %s%n", verdict.technology().id(),
            verdict.outcome(), verdict.reason()));
      }
    }
    if (!plan.hostActions().isEmpty()) {
      out.append("  before start, on the host:\n");
      for (HostAction action : plan.hostActions()) {
        out.append("    ").append(action.describe()).append('\n');
      }
    }
    out.append("  accelerator: ").append(planning.accelerator().chosen().domainType())
        .append(" (").append(planning.accelerator().reason()).append(")\n");
    return out.toString();
  }

  /** What a NIC gets, in one phrase. */
  static String device(NicAssignment nic) {
    if (nic instanceof VirtioNic) {
      VirtioNic virtio = (VirtioNic) nic;
      return "virtio-net on " + virtio.attachment().describe() + ", " + virtio.queues()
          + (virtio.queues() == 1 ? " queue" : " queues") + (virtio.vhost() ? ", vhost-net" : "")
          + mac(nic);
    }
    if (nic instanceof SriovNic) {
      SriovNic vf = (SriovNic) nic;
      return "VF " + vf.virtualFunction() + " (virtfn" + vf.vfIndex() + " of PF "
          + vf.physicalFunction() + vf.physicalFunctionNetdev().map(n -> " " + n).orElse("") + ")"
          + (vf.vfExists() ? "" : ", created at launch")
          + (vf.vlan().isPresent() ? ", VLAN " + vf.vlan().getAsInt() : "") + mac(nic);
    }
    PassthroughNic function = (PassthroughNic) nic;
    String companions = function.groupCompanions().isEmpty() ? ""
        : ", with " + function.groupCompanions().stream().map(Object::toString)
            .collect(Collectors.joining(", ")) + " (same IOMMU group)";
    return "PCI function " + function.function() + " (IOMMU group " + function.iommuGroup() + ")"
        + companions + mac(nic);
  }

  private static String mac(NicAssignment nic) {
    return nic.mac().map(m -> ", MAC " + m).orElse("");
  }

  static ObjectNode json(GuestPlanning planning) {
    ObjectNode node = JSON.objectNode();
    node.put("guest", planning.plan().guestName());
    node.put("vcpus", planning.spec().vcpus());
    node.put("memoryMiB", planning.spec().memoryMiB());
    nics(planning.plan(), node);
    node.putObject("accelerator")
        .put("requested", planning.accelerator().requested().name().toLowerCase(Locale.ROOT))
        .put("chosen", planning.accelerator().chosen().domainType())
        .put("reason", planning.accelerator().reason());
    return node;
  }

  /** The plan's NICs (technology, device, reason, verdicts) and host actions, added to {@code node}. */
  static ObjectNode nics(GuestNetworkPlan plan, ObjectNode node) {
    ArrayNode nics = node.putArray("nics");
    for (NicExplanation explanation : plan.explanations()) {
      NicAssignment nic = plan.assignments().get(explanation.nicIndex());
      ObjectNode n = nics.addObject();
      n.put("index", nic.nicIndex());
      n.put("technology", nic.technology().id());
      n.put("device", device(nic));
      ArrayNode devices = n.putArray("hostDevices");
      nic.devices().forEach(d -> devices.add(d.toString()));
      nic.mac().ifPresentOrElse(m -> n.put("mac", m.toString()), () -> n.putNull("mac"));
      n.put("reason", nic.reason());
      n.set("verdicts", verdicts(explanation.verdicts()));
    }
    ArrayNode actions = node.putArray("hostActions");
    plan.hostActions().forEach(a -> actions.add(a.describe()));
    return node;
  }

  static ArrayNode verdicts(List<Verdict> verdicts) {
    ArrayNode array = JSON.arrayNode();
    for (Verdict verdict : verdicts) {
      array.addObject()
          .put("technology", verdict.technology().id())
          .put("outcome", verdict.outcome().toString())
          .put("reason", verdict.reason());
    }
    return array;
  }

  /** The technologies chosen, e.g. {@code sriov, virtio}, for one-line summaries. */
  static String chosen(GuestNetworkPlan plan) {
    return plan.assignments().stream().map(NicAssignment::technology).map(Technology::id)
        .collect(Collectors.joining(", "));
  }
}

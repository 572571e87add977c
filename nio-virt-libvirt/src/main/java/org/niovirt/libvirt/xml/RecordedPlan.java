package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.immutables.value.Value;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.NicExplanation;

/**
 * Why each NIC of a domain is what it is, kept in the domain's {@code <metadata>} under
 * {@link #NAMESPACE}: libvirt stores foreign-namespace metadata verbatim, so the explanation
 * outlives the process that planned the guest and is there for whoever reads the domain.
 */
@Value.Immutable
public interface RecordedPlan {
  /** Versioned: a later, incompatible layout gets a new URI and old readers see "not recorded". */
  String NAMESPACE = "https://niovirt.org/xmlns/plan/1";

  /** The prefix we write; readers match the namespace URI, whatever prefix libvirt keeps. */
  String PREFIX = "niovirt";

  /** The guest name the plan was made for (a later {@code virsh domrename} does not change it). */
  String guestName();

  /** One entry per planned NIC, by NIC index. */
  List<RecordedNic> nics();

  /** The plan's assignments with their reasons and every provider's verdict. */
  static RecordedPlan of(GuestNetworkPlan plan) {
    Map<Integer, NicExplanation> explanations = plan.explanations().stream()
        .collect(Collectors.toMap(NicExplanation::nicIndex, Function.identity()));
    ImmutableRecordedPlan.Builder recorded = ImmutableRecordedPlan.builder().guestName(plan.guestName());
    for (NicAssignment assignment : plan.assignments()) {
      NicExplanation explanation = explanations.get(assignment.nicIndex());
      ImmutableRecordedNic.Builder nic = RecordedNic.builder()
          .nicIndex(assignment.nicIndex())
          .technology(assignment.technology())
          .devices(assignment.devices())
          .reason(assignment.reason())
          .verdicts(explanation == null ? List.of() : explanation.verdicts());
      if (assignment instanceof org.niovirt.api.plan.SriovNic vf) {
        nic.physicalFunction(vf.physicalFunction()).vfIndex(vf.vfIndex());
      }
      recorded.addNic(nic.build());
    }
    return recorded.build();
  }

  static ImmutableRecordedPlan.Builder builder() {
    return ImmutableRecordedPlan.builder();
  }
}

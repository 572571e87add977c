package org.niovirt.api.plan;

import java.util.List;
import org.immutables.value.Value;
import org.niovirt.api.request.Technology;

/** Every provider's verdict on one guest NIC, in policy order. */
@Value.Immutable
public interface NicExplanation {
  int nicIndex();

  Technology chosen();

  List<Verdict> verdicts();

  static ImmutableNicExplanation.Builder builder() {
    return ImmutableNicExplanation.builder();
  }
}

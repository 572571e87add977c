package org.niovirt.api.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.niovirt.api.text.LazyText;

/**
 * Why each candidate device was refused, for a rejection that a person can read: the first few
 * reasons in full, the rest counted, so a host with 64 PFs still gets one readable line. Reasons
 * are suppliers and only the shown ones are ever built: a provider refuses many candidates for
 * every NIC of a batch and most of those words would be thrown away.
 */
public final class Refusals {
  private final int shown;
  private final List<Supplier<String>> first = new ArrayList<>();
  private int count;

  /** Keeps the first {@code shown} reasons. */
  public Refusals(int shown) {
    this.shown = shown;
  }

  public void add(Supplier<String> reason) {
    if (first.size() < shown) {
      first.add(reason);
    }
    count++;
  }

  public int count() {
    return count;
  }

  /**
   * {@code lead: reason; reason; reason; and 61 more refused}, or the only reason alone when there
   * is just one (then the lead would only repeat it).
   */
  public String describe(String lead) {
    return describe(lead, first, count);
  }

  /**
   * {@link #describe(String)} as text built on first read, from the refusals added so far: what a
   * rejection gives the planner, which shows few of the reasons a batch produces.
   */
  public Supplier<String> describeLater(Supplier<String> lead) {
    List<Supplier<String>> kept = List.copyOf(first);
    int counted = count;
    return LazyText.of(() -> describe(lead.get(), kept, counted));
  }

  private static String describe(String lead, List<Supplier<String>> first, int count) {
    if (count == 0) {
      return lead;
    }
    if (count == 1) {
      return first.get(0).get();
    }
    String listed = first.stream().map(Supplier::get).collect(Collectors.joining("; "));
    int more = count - first.size();
    return lead + ": " + listed + (more > 0 ? "; and " + more + " more refused" : "");
  }
}

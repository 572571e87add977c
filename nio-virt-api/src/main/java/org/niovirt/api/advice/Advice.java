package org.niovirt.api.advice;

import java.util.List;
import org.niovirt.api.request.Technology;

/**
 * What would unlock a better technology for one guest NIC: the smallest set of host changes found,
 * proven by re-planning the guest against the inventory with the changes applied.
 *
 * @param nicIndex the guest NIC
 * @param from the technology it gets now
 * @param unlocks the technology it gets with the changes
 * @param remedies the changes, all needed
 * @param proof what the re-plan chose, in words
 */
public record Advice(int nicIndex, Technology from, Technology unlocks, List<Remedy> remedies, String proof) {
  public Advice {
    remedies = List.copyOf(remedies);
  }
}

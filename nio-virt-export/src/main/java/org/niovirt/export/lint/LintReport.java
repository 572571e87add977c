package org.niovirt.export.lint;

import java.util.ArrayList;
import java.util.List;
import org.niovirt.export.SafeDevices;

/**
 * What a configuration does on a host: per entry (a resource, a device_spec), the functions it
 * matches, why every other one does not, and the matches that are unsafe to hand out.
 */
public record LintReport(String format, List<Entry> entries, List<String> unsafe) {
  public LintReport {
    entries = List.copyOf(entries);
    unsafe = List.copyOf(unsafe);
  }

  /**
   * One entry's matches and the reasons the other functions are not matched; {@code pending} says
   * why an entry that matches nothing yet will (a VF that raising sriov_numvfs creates).
   */
  public record Entry(String name, List<Candidate> matches, List<String> misses, java.util.Optional<String> pending) {
    public Entry {
      matches = List.copyOf(matches);
      misses = List.copyOf(misses);
    }

    Entry(String name, List<Candidate> matches, List<String> misses) {
      this(name, matches, misses, java.util.Optional.empty());
    }

    public List<String> matchedDevices() {
      return matches.stream().map(Candidate::describe).toList();
    }
  }

  /** Flags every match that the safety rules leave out (management NIC, non-viable group, ...). */
  static LintReport of(String format, List<Entry> entries, SafeDevices safe) {
    List<String> unsafe = new ArrayList<>();
    for (Entry entry : entries) {
      for (Candidate match : entry.matches()) {
        safe.leftOut().stream().filter(left -> left.address().equals(match.address())).findFirst()
            .ifPresent(left -> unsafe.add(entry.name() + " matches " + match.describe() + ", which is not safe"
                + " to hand out: " + left.reason()));
      }
    }
    return new LintReport(format, entries, unsafe);
  }

  /** Clean: every entry matches something (or will once its VF exists) and nothing it matches is unsafe. */
  public boolean clean() {
    return unsafe.isEmpty() && entries.stream().noneMatch(e -> e.matches().isEmpty() && e.pending().isEmpty());
  }

  /** The report in words, one block per entry. */
  public String describe() {
    StringBuilder out = new StringBuilder("Format: " + format + "\n");
    for (Entry entry : entries) {
      out.append(entry.name()).append(entry.matches().isEmpty()
          ? entry.pending().map(p -> ": matches nothing yet: " + p + "\n").orElse(": matches NOTHING\n")
          : ": matches " + String.join(", ", entry.matchedDevices()) + "\n");
      entry.misses().forEach(miss -> out.append("  not ").append(miss).append('\n'));
    }
    unsafe.forEach(line -> out.append("UNSAFE: ").append(line).append('\n'));
    out.append(clean() ? "clean\n" : "findings\n");
    return out.toString();
  }
}

package org.niovirt.export.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.niovirt.api.error.InvalidInputException;

/**
 * Neutron's SR-IOV agent ({@code [sriov_nic]}): each {@code physical_device_mappings} entry's PF
 * netdev must exist (a renamed PF matches nothing), and each {@code exclude_devices} address must
 * be a VF of the PF it is listed under.
 */
final class NeutronLint {
  private NeutronLint() {}

  static boolean looksLikeNeutron(String text) {
    return text.lines().map(String::strip).anyMatch(l -> l.startsWith("physical_device_mappings"));
  }

  static List<LintReport.Entry> lint(String text, List<Candidate> candidates) {
    List<LintReport.Entry> entries = new ArrayList<>();
    for (String line : text.lines().map(String::strip).toList()) {
      int equals = line.indexOf('=');
      if (line.startsWith("#") || equals < 0) {
        continue;
      }
      String key = line.substring(0, equals).strip();
      String value = line.substring(equals + 1).strip();
      if (key.equals("physical_device_mappings")) {
        for (String mapping : value.split(",")) {
          if (mapping.isBlank()) {
            continue;
          }
          String[] parts = mapping.strip().split(":");
          if (parts.length != 2) {
            throw new InvalidInputException("physical_device_mappings", mapping, "NETWORK:PF_NETDEV");
          }
          entries.add(pfEntry("physical_device_mappings " + mapping.strip(), parts[1], candidates));
        }
      } else if (key.equals("exclude_devices")) {
        for (String exclusion : value.split(",")) {
          if (!exclusion.isBlank()) {
            entries.add(exclusion(exclusion.strip(), candidates));
          }
        }
      }
    }
    return entries;
  }

  private static LintReport.Entry pfEntry(String name, String netdev, List<Candidate> candidates) {
    List<Candidate> matches = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (candidate.vfIndex().isPresent()) {
        continue;
      }
      if (candidate.netdev().filter(netdev::equals).isPresent()) {
        matches.add(candidate);
      } else {
        misses.add(candidate.describe() + ": its name is " + candidate.netdev().orElse("none") + ", not " + netdev);
      }
    }
    return new LintReport.Entry(name, matches, misses);
  }

  private static LintReport.Entry exclusion(String exclusion, List<Candidate> candidates) {
    int colon = exclusion.indexOf(':');
    if (colon <= 0) {
      throw new InvalidInputException("exclude_devices", exclusion, "PF_NETDEV:VF_ADDRESS;VF_ADDRESS");
    }
    String netdev = exclusion.substring(0, colon);
    List<Candidate> matches = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (String address : exclusion.substring(colon + 1).split(";")) {
      Optional<Candidate> vf = candidates.stream().filter(c -> c.address().toString().equalsIgnoreCase(address.strip()))
          .findFirst();
      if (vf.isPresent() && vf.get().pfNetdev().filter(netdev::equals).isPresent()) {
        matches.add(vf.get());
      } else {
        misses.add(address.strip() + ": " + vf.map(c -> "it is " + c.describe() + ", not a VF of " + netdev)
            .orElse("no such VF on this host"));
      }
    }
    return new LintReport.Entry("exclude_devices " + netdev, matches, misses);
  }
}

package org.niovirt.export.lint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.niovirt.api.error.InvalidInputException;

/**
 * The SR-IOV network device plugin's {@code config.json}: each resource's selectors (every field of
 * a selector must match), matched against the host's ports and existing VFs as the plugin would
 * (a PF that has VFs is not offered itself). For each resource: what it matches, and for every
 * other network function the first field that does not match and what the function has instead.
 */
final class DevicePluginLint {
  private DevicePluginLint() {}

  static List<LintReport.Entry> lint(JsonNode config, List<Candidate> candidates) {
    JsonNode resources = config.path("resourceList");
    if (!resources.isArray()) {
      throw new InvalidInputException("resourceList", "(missing)", "a device plugin config.json has a resourceList array");
    }
    List<LintReport.Entry> entries = new ArrayList<>();
    for (JsonNode resource : resources) {
      String name = resource.path("resourceName").asText("(no resourceName)");
      JsonNode selectors = resource.path("selectors");
      List<JsonNode> list = new ArrayList<>();
      if (selectors.isArray()) {
        selectors.forEach(list::add);
      } else if (selectors.isObject()) {
        list.add(selectors); // the legacy single-object form
      }
      List<Candidate> matches = new ArrayList<>();
      List<String> misses = new ArrayList<>();
      for (Candidate candidate : candidates) {
        if (candidate.pfWithVfs()) {
          continue;
        }
        Optional<String> firstMiss = Optional.of("no selector");
        for (JsonNode selector : list) {
          firstMiss = miss(selector, candidate);
          if (firstMiss.isEmpty()) {
            break;
          }
        }
        if (firstMiss.isEmpty()) {
          matches.add(candidate);
        } else {
          misses.add(candidate.describe() + ": " + firstMiss.get());
        }
      }
      entries.add(new LintReport.Entry("resource " + name, matches, misses));
    }
    return entries;
  }

  /** The first field of {@code selector} that {@code candidate} does not match, in words. */
  private static Optional<String> miss(JsonNode selector, Candidate candidate) {
    Optional<String> miss = field(selector, "vendors", v -> v.equalsIgnoreCase(candidate.vendorHex()),
        "its vendor is " + candidate.vendorHex());
    miss = miss.or(() -> field(selector, "devices", d -> d.equalsIgnoreCase(candidate.deviceHex()),
        "its device is " + candidate.deviceHex()));
    miss = miss.or(() -> field(selector, "drivers", d -> candidate.driver().filter(d::equals).isPresent(),
        "its driver is " + candidate.driver().orElse("none (unbound)")));
    miss = miss.or(() -> field(selector, "pciAddresses", a -> a.equalsIgnoreCase(candidate.address().toString()),
        "its address is " + candidate.address()));
    miss = miss.or(() -> field(selector, "pfNames", p -> pf(p, candidate, candidate.vfIndex().isPresent()
        ? candidate.pfNetdev().orElse("") : candidate.netdev().orElse("")),
        candidate.vfIndex().isPresent() ? "its PF is " + candidate.pfNetdev().orElse("unnamed") + " and it is VF "
            + candidate.vfIndex().getAsInt() : "it is no VF, and its own name is " + candidate.netdev().orElse("none")));
    miss = miss.or(() -> field(selector, "rootDevices", p -> pf(p, candidate, candidate.physicalFunction()
        .map(Object::toString).orElse(candidate.address().toString())), candidate.physicalFunction()
        .map(pf -> "its PF is " + pf).orElse("it is no VF")));
    return miss;
  }

  /** {@code "ens785f0#0-4,6"}: the name (or address) and, optionally, VF index ranges. */
  private static boolean pf(String value, Candidate candidate, String actual) {
    int hash = value.indexOf('#');
    String name = hash < 0 ? value : value.substring(0, hash);
    if (!name.equalsIgnoreCase(actual)) {
      return false;
    }
    if (hash < 0) {
      return true;
    }
    if (candidate.vfIndex().isEmpty()) {
      return false;
    }
    int index = candidate.vfIndex().getAsInt();
    for (String range : value.substring(hash + 1).split(",")) {
      String[] ends = range.trim().split("-");
      try {
        int low = Integer.parseInt(ends[0].trim());
        int high = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : low;
        if (index >= low && index <= high) {
          return true;
        }
      } catch (NumberFormatException e) {
        throw new InvalidInputException("pfNames/rootDevices", value, "VF ranges are numbers: name#0-3,5");
      }
    }
    return false;
  }

  private static Optional<String> field(JsonNode selector, String name, Predicate<String> matches, String actual) {
    JsonNode values = selector.get(name);
    if (values == null || !values.isArray() || values.isEmpty()) {
      return Optional.empty();
    }
    List<String> wanted = new ArrayList<>();
    for (JsonNode value : values) {
      if (matches.test(value.asText())) {
        return Optional.empty();
      }
      wanted.add(value.asText());
    }
    return Optional.of(name + " " + wanted + " does not match: " + actual);
  }
}

package org.niovirt.export.lint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.niovirt.api.error.InvalidInputException;

/**
 * KubeVirt's {@code permittedHostDevices.pciHostDevices} (a {@code KubeVirt} CR or its
 * configuration) and the SR-IOV operator's {@code SriovNetworkNodePolicy}: what each selector
 * matches among the host's functions, and why each other network function does not.
 */
final class KubernetesLint {
  private KubernetesLint() {}

  /** pciVendorSelector {@code VVVV:DDDD} against every port and existing VF (KubeVirt looks at all). */
  static List<LintReport.Entry> kubevirt(JsonNode document, List<Candidate> candidates) {
    JsonNode devices = document.at("/spec/configuration/permittedHostDevices/pciHostDevices");
    if (devices.isMissingNode()) {
      devices = document.at("/permittedHostDevices/pciHostDevices");
    }
    if (!devices.isArray()) {
      throw new InvalidInputException("spec.configuration.permittedHostDevices.pciHostDevices", "(missing)",
          "a KubeVirt CR permitting PCI host devices");
    }
    List<LintReport.Entry> entries = new ArrayList<>();
    for (JsonNode device : devices) {
      String selector = device.path("pciVendorSelector").asText("");
      String[] ids = selector.split(":");
      if (ids.length != 2) {
        throw new InvalidInputException("pciVendorSelector", selector, "VENDOR:DEVICE in hex, e.g. 8086:10D3");
      }
      List<Candidate> matches = new ArrayList<>();
      List<String> misses = new ArrayList<>();
      for (Candidate candidate : candidates) {
        if (ids[0].equalsIgnoreCase(candidate.vendorHex()) && ids[1].equalsIgnoreCase(candidate.deviceHex())) {
          matches.add(candidate);
        } else {
          misses.add(candidate.describe() + ": pciVendorSelector " + selector + " does not match: its id is "
              + candidate.vendorHex() + ":" + candidate.deviceHex());
        }
      }
      entries.add(new LintReport.Entry("pciHostDevice " + selector + " (" + device.path("resourceName").asText()
          + ")", matches, misses));
    }
    return entries;
  }

  /** An operator policy's nicSelector (vendor, deviceID of the PF, rootDevices, pfNames) against the PFs. */
  static List<LintReport.Entry> operatorPolicy(JsonNode policy, List<Candidate> candidates) {
    JsonNode nic = policy.at("/spec/nicSelector");
    if (!nic.isObject()) {
      throw new InvalidInputException("spec.nicSelector", "(missing)", "an SriovNetworkNodePolicy selects NICs");
    }
    List<Candidate> matches = new ArrayList<>();
    List<String> misses = new ArrayList<>();
    for (Candidate candidate : candidates) {
      if (candidate.vfIndex().isPresent()) {
        continue; // the policy selects PFs; their VFs follow
      }
      Optional<String> miss = text(nic, "vendor", candidate.vendorHex(), "its vendor is " + candidate.vendorHex())
          .or(() -> text(nic, "deviceID", candidate.deviceHex(), "its device is " + candidate.deviceHex()))
          .or(() -> list(nic, "rootDevices", candidate.address().toString(), "its address is " + candidate.address()))
          .or(() -> list(nic, "pfNames", candidate.netdev().orElse(""), "its name is " + candidate.netdev().orElse("none")));
      if (miss.isEmpty()) {
        matches.add(candidate);
      } else {
        misses.add(candidate.describe() + ": " + miss.get());
      }
    }
    return List.of(new LintReport.Entry("SriovNetworkNodePolicy " + policy.at("/metadata/name").asText()
        + " (" + policy.at("/spec/resourceName").asText() + ")", matches, misses));
  }

  private static Optional<String> text(JsonNode node, String field, String actual, String words) {
    JsonNode value = node.get(field);
    return value == null || value.asText().isEmpty() || value.asText().equalsIgnoreCase(actual)
        ? Optional.empty() : Optional.of(field + " " + value.asText() + " does not match: " + words);
  }

  private static Optional<String> list(JsonNode node, String field, String actual, String words) {
    JsonNode values = node.get(field);
    if (values == null || !values.isArray() || values.isEmpty()) {
      return Optional.empty();
    }
    for (JsonNode value : values) {
      String name = value.asText();
      int hash = name.indexOf('#');
      if ((hash < 0 ? name : name.substring(0, hash)).equalsIgnoreCase(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(field + " " + values + " does not match: " + words);
  }
}

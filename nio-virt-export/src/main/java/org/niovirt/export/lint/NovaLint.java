package org.niovirt.export.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.spi.DeviceAssignmentRules;

/**
 * Nova's {@code [pci] device_spec} (and the older {@code passthrough_whitelist}) lines: each spec
 * matched against the host's ports and existing VFs the way Nova matches (vendor_id and product_id
 * exact or {@code *}; address as a glob {@code [domain:]bus:slot.function} or as a dict of regular
 * expressions). A spec by {@code devname} is reported as not checkable here (Nova resolves names
 * on the host it runs on).
 */
final class NovaLint {
  private static final ObjectMapper JSON = new ObjectMapper();

  private NovaLint() {}

  static boolean looksLikeNova(String text) {
    return text.lines().map(String::strip).anyMatch(l -> l.startsWith("device_spec") || l.startsWith("passthrough_whitelist"));
  }

  static List<LintReport.Entry> lint(String text, HostInventory inventory) {
    List<Candidate> candidates = Candidate.of(inventory);
    List<LintReport.Entry> entries = new ArrayList<>();
    int lineNumber = 0;
    for (String line : text.lines().toList()) {
      lineNumber++;
      String stripped = line.strip();
      int equals = stripped.indexOf('=');
      if (equals < 0 || stripped.startsWith("#")) {
        continue;
      }
      String key = stripped.substring(0, equals).strip();
      if (!key.equals("device_spec") && !key.equals("passthrough_whitelist")) {
        continue;
      }
      JsonNode spec;
      try {
        spec = JSON.readTree(stripped.substring(equals + 1).strip());
      } catch (JsonProcessingException e) {
        throw new InvalidInputException(key + " (line " + lineNumber + ")", stripped.substring(equals + 1).strip(),
            "a JSON object: " + e.getOriginalMessage());
      }
      String name = key + " (line " + lineNumber + ")";
      List<Candidate> matches = new ArrayList<>();
      List<String> misses = new ArrayList<>();
      if (spec.has("devname")) {
        misses.add("any function: devname " + spec.get("devname").asText() + " is resolved by Nova on its own host;"
            + " use address, vendor_id and product_id to be checkable");
      } else {
        for (Candidate candidate : candidates) {
          Optional<String> miss = miss(spec, candidate);
          if (miss.isEmpty()) {
            matches.add(candidate);
          } else {
            misses.add(candidate.describe() + ": " + miss.get());
          }
        }
      }
      entries.add(new LintReport.Entry(name, matches, misses,
          matches.isEmpty() ? creatableVf(spec.path("address"), inventory) : Optional.empty()));
    }
    return entries;
  }

  /** A spec naming exactly a VF that does not exist yet: which PF creates it, and when. */
  private static Optional<String> creatableVf(JsonNode address, HostInventory inventory) {
    if (!address.isTextual() || address.asText().contains("*")) {
      return Optional.empty();
    }
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      SriovCapability sriov = pf.sriov().orElseThrow();
      for (PciAddress vf : sriov.creatableVfAddresses()) {
        if (vf.toString().equalsIgnoreCase(address.asText())) {
          int index = sriov.indexOf(vf).orElse(-1);
          return Optional.of(vf + " is not a VF yet: VF " + index + " of " + DeviceAssignmentRules.describe(pf)
              + ", created when sriov_numvfs is raised to " + (index + 1));
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> miss(JsonNode spec, Candidate candidate) {
    String vendor = spec.path("vendor_id").asText("*");
    if (!vendor.equals("*") && !vendor.equalsIgnoreCase(candidate.vendorHex())) {
      return Optional.of("vendor_id " + vendor + " does not match: its vendor is " + candidate.vendorHex());
    }
    String product = spec.path("product_id").asText("*");
    if (!product.equals("*") && !product.equalsIgnoreCase(candidate.deviceHex())) {
      return Optional.of("product_id " + product + " does not match: its device is " + candidate.deviceHex());
    }
    JsonNode address = spec.get("address");
    if (address != null && !addressMatches(address, candidate.address().toString())) {
      return Optional.of("address " + address + " does not match: its address is " + candidate.address());
    }
    return Optional.empty();
  }

  /** A glob string ({@code *:01:10.*}, domain optional) or a dict of regexes per field. */
  static boolean addressMatches(JsonNode address, String actual) {
    String[] parts = actual.split("[:.]");
    if (address.isObject()) {
      String[] fields = {"domain", "bus", "slot", "function"};
      for (int i = 0; i < fields.length; i++) {
        String regex = address.path(fields[i]).asText(".*");
        if (!Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(parts[i]).matches()
            && !Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(Integer.toHexString(Integer.parseInt(parts[i], 16))).matches()) {
          return false;
        }
      }
      return true;
    }
    String glob = address.asText();
    if (glob.chars().filter(c -> c == ':').count() < 2) {
      glob = "*:" + glob;
    }
    String regex = Pattern.quote(glob).replace("*", "\\E[0-9a-fA-F]*\\Q");
    return Pattern.compile(regex, Pattern.CASE_INSENSITIVE).matcher(actual).matches();
  }
}

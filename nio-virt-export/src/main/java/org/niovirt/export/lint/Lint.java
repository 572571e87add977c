package org.niovirt.export.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.export.SafeDevices;

/**
 * {@code nio-virt lint}: reads an engine's device configuration and says, against a host's
 * inventory, what each entry matches, why each other network function is not matched, and which
 * matches are unsafe. Formats: the SR-IOV device plugin's {@code config.json} (bare, or inside its
 * ConfigMap), Nova's {@code [pci] device_spec} lines, Neutron's SR-IOV agent {@code [sriov_nic]}, a
 * KubeVirt CR's permitted PCI host devices and an SR-IOV operator {@code SriovNetworkNodePolicy}.
 */
public final class Lint {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private Lint() {}

  /** @throws InvalidInputException when the text is no configuration nio-virt can read */
  public static LintReport lint(String text, HostInventory inventory, DeviceUsage usage) {
    SafeDevices safe = SafeDevices.of(inventory, PlannerPolicy.defaults(), usage);
    if (NovaLint.looksLikeNova(text)) {
      return LintReport.of("nova", NovaLint.lint(text, inventory), safe);
    }
    if (NeutronLint.looksLikeNeutron(text)) {
      return LintReport.of("neutron", NeutronLint.lint(text, Candidate.of(inventory)), safe);
    }
    JsonNode document = parse(text);
    switch (document.path("kind").asText()) {
      case "KubeVirt":
        return LintReport.of("kubevirt", KubernetesLint.kubevirt(document, Candidate.of(inventory)), safe);
      case "SriovNetworkNodePolicy":
        return LintReport.of("sriov-operator", KubernetesLint.operatorPolicy(document, Candidate.of(inventory)), safe);
      default:
        break;
    }
    JsonNode config = document;
    if (document.path("kind").asText().equals("ConfigMap")) {
      JsonNode embedded = document.path("data").path("config.json");
      if (!embedded.isTextual()) {
        throw new InvalidInputException("data.config.json", "(missing)", "a device plugin ConfigMap holds config.json");
      }
      config = parse(embedded.asText());
    }
    if (!config.has("resourceList")) {
      throw new InvalidInputException("(file)", abbreviate(text), "not a configuration nio-virt reads: expected the"
          + " SR-IOV device plugin's config.json (resourceList) or its ConfigMap, Nova's [pci] device_spec lines,"
          + " Neutron's [sriov_nic], a KubeVirt CR or an SriovNetworkNodePolicy");
    }
    return LintReport.of("sriov-device-plugin", DevicePluginLint.lint(config, Candidate.of(inventory)), safe);
  }

  private static JsonNode parse(String text) {
    try {
      return text.stripLeading().startsWith("{") ? JSON.readTree(text) : YAML.readTree(text);
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new InvalidInputException("(file" + (line > 0 ? ", line " + line : "") + ")", abbreviate(text),
          "neither JSON nor YAML: " + e.getOriginalMessage());
    }
  }

  private static String abbreviate(String text) {
    String line = text.lines().findFirst().orElse("");
    return line.length() > 60 ? line.substring(0, 60) + "..." : line;
  }

  /** The entries' reasons as lines, for callers that print them their own way. */
  public static List<String> lines(LintReport report) {
    return report.describe().lines().toList();
  }
}

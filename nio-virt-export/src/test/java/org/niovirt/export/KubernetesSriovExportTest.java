package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.detect.HostDetector;
import org.niovirt.export.lint.Lint;
import org.niovirt.export.lint.LintReport;

/**
 * The Kubernetes SR-IOV exports of the real d1 capture: the device plugin's config.json uses only
 * its documented fields and, read back by nio-virt lint, selects exactly the PF's existing VFs; the
 * operator's SriovNetworkNodePolicy and SriovNetwork validate against the operator's own CRDs.
 */
class KubernetesSriovExportTest {
  /** The device plugin's documented config fields (no schema is published; see sriov/README.md). */
  private static final Set<String> RESOURCE_FIELDS = Set.of("resourceName", "resourcePrefix", "deviceType",
      "excludeTopology", "selectors", "additionalInfo");
  private static final Set<String> SELECTOR_FIELDS = Set.of("vendors", "devices", "drivers", "pciAddresses",
      "acpiIndexes", "pfNames", "rootDevices", "linkTypes", "ddpProfiles", "pKeys", "isRdma", "needVhostNet",
      "vdpaType");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static HostInventory d1() {
    return HostDetector.forSnapshot(Path.of("../nio-virt-detect/src/test/resources/captures/d1-vtd-sriov-dual.tar.gz"))
        .withoutPciIds().detect();
  }

  @Test
  void theDevicePluginConfigUsesItsFieldsAndSelectsExactlyTheExistingVfs() {
    HostInventory d1 = d1();
    SafeDevices safe = SafeDevices.of(d1, PlannerPolicy.defaults(), DeviceUsage.empty());
    ObjectNode config = KubernetesSriovExport.devicePluginConfig(d1, safe);

    assertThat(config.fieldNames()).toIterable().containsExactly("resourceList");
    JsonNode resource = config.path("resourceList").get(0);
    assertThat(resource.fieldNames()).toIterable().allMatch(RESOURCE_FIELDS::contains);
    assertThat(resource.path("resourceName").asText()).matches("[a-zA-Z0-9_-]+").isEqualTo("nio_virt_eth3");
    assertThat(resource.path("selectors").get(0).fieldNames()).toIterable().allMatch(SELECTOR_FIELDS::contains);
    assertThat(resource.at("/selectors/0/rootDevices/0").asText()).isEqualTo("0000:01:00.0#0-6");

    LintReport report = Lint.lint(config.toString(), d1, DeviceUsage.empty());
    assertThat(report.clean()).as(report.describe()).isTrue();
    assertThat(report.entries().get(0).matchedDevices()).containsExactly(
        "0000:01:10.0 (VF 0 of eth3, igbvf)", "0000:01:10.2 (VF 1 of eth3, igbvf)");
  }

  @Test
  void theOperatorsObjectsValidateAgainstItsCrds() throws Exception {
    HostInventory d1 = d1();
    String yaml = KubernetesSriovExport.renderOperator(d1, SafeDevices.of(d1, PlannerPolicy.defaults(),
        DeviceUsage.empty()), "rack1-b", "sriov-network-operator");
    List<JsonNode> documents = new ArrayList<>();
    YAML.readerFor(JsonNode.class).readValues(yaml).forEachRemaining(d -> documents.add((JsonNode) d));

    assertThat(documents).hasSize(2);
    JsonNode policy = documents.get(0);
    assertThat(policy.path("kind").asText()).isEqualTo("SriovNetworkNodePolicy");
    assertThat(policy.at("/spec/externallyManaged").asBoolean()).isTrue();
    assertThat(policy.at("/spec/numVfs").asInt()).isEqualTo(7);
    assertThat(policy.at("/spec/nicSelector/pfNames/0").asText()).isEqualTo("eth3#0-6");
    assertThat(errors("sriov-operator-crd-sriovnetworknodepolicies.yaml", policy)).as(yaml).isEmpty();
    assertThat(errors("sriov-operator-crd-sriovnetworks.yaml", documents.get(1))).as(yaml).isEmpty();

    ((ObjectNode) policy.path("spec")).put("deviceType", "dpdk");
    assertThat(errors("sriov-operator-crd-sriovnetworknodepolicies.yaml", policy)).as("the CRD does check").isNotEmpty();
  }

  private static Set<?> errors(String crd, JsonNode object) throws Exception {
    JsonNode schema;
    try (var in = KubernetesSriovExportTest.class.getResourceAsStream("/sriov/" + crd)) {
      schema = YAML.readTree(in).at("/spec/versions/0/schema/openAPIV3Schema");
    }
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(schema).validate(object);
  }
}

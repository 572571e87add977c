package org.niovirt.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.niovirt.api.fixtures.SyntheticHosts;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.detect.HostDetector;

/**
 * The KubeVirt export, validated against KubeVirt's published OpenAPI ({@code v1.KubeVirt} of
 * kubevirt-swagger.json, with networknt's JSON Schema validator) and walked so that every field it
 * writes is one the schema names: the real d1 capture permits its dual-port card's id; a selector
 * that would also match an unsafe function of the same id is left out, saying which.
 */
class KubevirtExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode SWAGGER = read();

  private static JsonNode read() {
    try (var in = KubevirtExportTest.class.getResourceAsStream("/kubevirt/kubevirt-swagger.json")) {
      return JSON.readTree(in);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Set<ValidationMessage> validate(JsonNode document) {
    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
        .getSchema(SchemaLocation.of("classpath:kubevirt/kubevirt-swagger.json#/definitions/v1.KubeVirt"));
    return schema.validate(document);
  }

  /** Field names the document uses that the schema's definition does not name (it allows any). */
  private static List<String> unknownFields(JsonNode node, JsonNode definition, String path) {
    List<String> unknown = new ArrayList<>();
    if (definition.has("$ref")) {
      definition = SWAGGER.at("/definitions/" + definition.get("$ref").asText().substring("#/definitions/".length()));
    }
    if (node.isObject() && definition.has("properties")) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        JsonNode property = definition.get("properties").get(field.getKey());
        if (property == null) {
          unknown.add(path + "." + field.getKey());
        } else {
          unknown.addAll(unknownFields(field.getValue(), property, path + "." + field.getKey()));
        }
      }
    } else if (node.isArray() && definition.has("items")) {
      for (JsonNode item : node) {
        unknown.addAll(unknownFields(item, definition.get("items"), path + "[]"));
      }
    }
    return unknown;
  }

  @Test
  void d1sDualPortCardIsPermittedAndTheCrMatchesKubevirtsSchema() throws Exception {
    HostInventory d1 = HostDetector.forSnapshot(java.nio.file.Path.of(
        "../nio-virt-detect/src/test/resources/captures/d1-vtd-sriov-dual.tar.gz")).withoutPciIds().detect();
    String yaml = KubevirtExport.render(d1, SafeDevices.of(d1, PlannerPolicy.defaults(), DeviceUsage.empty()), true);
    JsonNode document = new ObjectMapper(new YAMLFactory()).readTree(yaml);

    assertThat(validate(document)).as(yaml).isEmpty();
    assertThat(unknownFields(document, SWAGGER.at("/definitions/v1.KubeVirt"), "")).as(yaml).isEmpty();
    JsonNode devices = document.at("/spec/configuration/permittedHostDevices/pciHostDevices");
    assertThat(devices).hasSize(1);
    assertThat(devices.get(0).path("pciVendorSelector").asText()).isEqualTo("8086:10D3");
    assertThat(devices.get(0).path("resourceName").asText()).isEqualTo("nio-virt.io/8086_10d3");
    assertThat(yaml).contains("# 8086:10D3 (nio-virt.io/8086_10d3): 0000:02:00.0 (eth1",
        "# left out: 0000:00:03.0 (eth0, virtio-pci): the host's management NIC");
  }

  @Test
  void aPlannedGuestsVmiMatchesKubevirtsSchema() throws Exception {
    HostInventory d1 = HostDetector.forSnapshot(java.nio.file.Path.of(
        "../nio-virt-detect/src/test/resources/captures/d1-vtd-sriov-dual.tar.gz")).withoutPciIds().detect();
    org.niovirt.api.request.GuestNetworkRequest request = org.niovirt.api.request.GuestNetworkRequest.builder()
        .guestName("web1")
        .addNic(org.niovirt.api.request.NicRequest.builder().pinned(org.niovirt.api.request.Technology.SRIOV)
            .addMac(org.niovirt.api.model.MacAddress.parse("52:54:00:aa:00:01")).build())
        .addNic(org.niovirt.api.request.NicRequest.builder().pinned(org.niovirt.api.request.Technology.VTD).build())
        .addNic(org.niovirt.api.request.NicRequest.builder().pinned(org.niovirt.api.request.Technology.VIRTIO).build())
        .build();
    org.niovirt.api.plan.GuestNetworkPlan plan = org.niovirt.api.NetworkIoPlanner.create().plan(d1, request);

    String yaml = KubevirtVmiExport.render(plan, d1, 512);
    JsonNode vmi = new ObjectMapper(new YAMLFactory()).readTree(yaml);

    JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(
        SchemaLocation.of("classpath:kubevirt/kubevirt-swagger.json#/definitions/v1.VirtualMachineInstance"));
    assertThat(schema.validate(vmi)).as(yaml).isEmpty();
    assertThat(unknownFields(vmi, SWAGGER.at("/definitions/v1.VirtualMachineInstance"), "")).as(yaml).isEmpty();
    assertThat(vmi.at("/spec/domain/devices/interfaces/0/sriov").isObject()).isTrue();
    assertThat(vmi.at("/spec/domain/devices/interfaces/0/macAddress").asText()).isEqualTo("52:54:00:aa:00:01");
    assertThat(vmi.at("/spec/networks/0/multus/networkName").asText()).isEqualTo("nio-virt-eth3");
    assertThat(vmi.at("/spec/domain/devices/hostDevices")).hasSize(2)
        .allSatisfy(d -> assertThat(d.path("deviceName").asText()).isEqualTo("nio-virt.io/8086_10d3"));
    assertThat(vmi.at("/spec/domain/devices/interfaces/1/masquerade").isObject()).isTrue();
    assertThat(vmi.at("/spec/networks/1/pod").isObject()).isTrue();
    assertThat(yaml).contains("# nic0: sriov - 0000:01:10.0 (VF 0 of 0000:01:00.0");
  }

  @Test
  void aSelectorThatWouldAlsoMatchAnUnsafeFunctionIsLeftOut() {
    HostInventory host = SyntheticHosts.host(IommuVendor.INTEL_VTD, Tristate.YES)
        .function(SyntheticHosts.managementNic())
        .function(SyntheticHosts.port("0000:04:00.0", "e1000e", "eth4", 10))
        .function(SyntheticHosts.port("0000:05:00.0", "e1000e", "eth5", 11))
        .member(11, "0000:05:00.1", 0x010601, "ahci")
        .build();
    SafeDevices safe = SafeDevices.of(host, PlannerPolicy.defaults(), DeviceUsage.empty());
    assertThat(safe.devices()).extracting(SafeDevices.Device::address).containsExactly(PciAddress.parse("0000:04:00.0"));

    List<String> reasons = new ArrayList<>();
    JsonNode document = KubevirtExport.kubevirt(host, safe, reasons);

    assertThat(document.at("/spec/configuration/permittedHostDevices/pciHostDevices")).isEmpty();
    assertThat(reasons).singleElement().asString()
        .contains("selector 8086:10D3", "would also match 0000:05:00.0");
    assertThat(validate(document)).isEmpty();
    // The schema does check: an entry without its required resourceName is refused.
    ((com.fasterxml.jackson.databind.node.ArrayNode) document.at("/spec/configuration/permittedHostDevices/pciHostDevices"))
        .addObject().put("pciVendorSelector", "8086:10D3");
    assertThat(validate(document)).isNotEmpty();
  }
}

package org.niovirt.libvirt.xml;

import static org.niovirt.libvirt.xml.XmlDom.attribute;
import static org.niovirt.libvirt.xml.XmlDom.child;
import static org.niovirt.libvirt.xml.XmlDom.children;
import static org.niovirt.libvirt.xml.XmlDom.intAttribute;
import static org.niovirt.libvirt.xml.XmlDom.intValue;
import static org.niovirt.libvirt.xml.XmlDom.parse;
import static org.niovirt.libvirt.xml.XmlDom.pciAddress;
import static org.niovirt.libvirt.xml.XmlDom.requiredAttribute;
import static org.niovirt.libvirt.xml.XmlDom.requiredText;
import static org.niovirt.libvirt.xml.XmlDom.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.w3c.dom.Element;

/** Reads libvirt node device XML (schema nodedev.rng) into {@link NodeDeviceXml}. */
public final class NodeDeviceXmlCodec {
  private NodeDeviceXmlCodec() {}

  public static NodeDeviceXml unmarshal(String xml) {
    Element root = parse(xml);
    if (!"device".equals(root.getTagName())) {
      throw new InvalidInputException("node device XML root", root.getTagName(), "expected <device>");
    }
    return read(root);
  }

  /** Every {@code <device>} of a libvirt test driver file (root {@code <node>}). */
  public static List<NodeDeviceXml> unmarshalTestDriverNode(String xml) {
    Element root = parse(xml);
    if (!"node".equals(root.getTagName())) {
      throw new InvalidInputException("test driver file root", root.getTagName(), "expected <node>");
    }
    List<NodeDeviceXml> devices = new ArrayList<>();
    children(root, "device").forEach(device -> devices.add(read(device)));
    return devices;
  }

  private static NodeDeviceXml read(Element root) {
    String name = requiredText(root, "name", "device");
    ImmutableNodeDeviceXml.Builder device = NodeDeviceXml.builder()
        .name(name)
        .parent(text(root, "parent"))
        .driver(child(root, "driver").flatMap(d -> text(d, "name")));
    for (Element capability : children(root, "capability")) {
      String type = attribute(capability, "type").orElse("");
      if ("pci".equals(type)) {
        device.pci(readPci(capability, "device[" + name + "]/capability[pci]"));
      } else if ("net".equals(type)) {
        device.net(readNet(capability, "device[" + name + "]/capability[net]"));
      }
    }
    return device.build();
  }

  private static PciCapabilityXml readPci(Element pci, String at) {
    Element product = child(pci, "product").orElseThrow(
        () -> new InvalidInputException(at + "/product", null, "<product id=...> is required"));
    Element vendor = child(pci, "vendor").orElseThrow(
        () -> new InvalidInputException(at + "/vendor", null, "<vendor id=...> is required"));
    ImmutablePciCapabilityXml.Builder builder = PciCapabilityXml.builder()
        .address(PciAddress.of(
            intValue(at + "/domain", requiredText(pci, "domain", at)),
            intValue(at + "/bus", requiredText(pci, "bus", at)),
            intValue(at + "/slot", requiredText(pci, "slot", at)),
            intValue(at + "/function", requiredText(pci, "function", at))))
        .vendorId(intValue(at + "/vendor@id", requiredAttribute(vendor, "id", at + "/vendor")))
        .vendorName(nonBlank(vendor.getTextContent()))
        .productId(intValue(at + "/product@id", requiredAttribute(product, "id", at + "/product")))
        .productName(nonBlank(product.getTextContent()));
    text(pci, "class").ifPresent(c -> builder.classCode(intValue(at + "/class", c)));
    child(pci, "numa").ifPresent(numa -> builder.numaNode(intAttribute(numa, "node", at + "/numa")));
    for (Element inner : children(pci, "capability")) {
      String type = attribute(inner, "type").orElse("");
      String innerAt = at + "/capability[" + type + "]";
      if ("phys_function".equals(type)) {
        child(inner, "address").ifPresent(a -> builder.physicalFunction(pciAddress(a, innerAt + "/address")));
      } else if ("virt_functions".equals(type)) {
        builder.maxVirtualFunctions(intAttribute(inner, "maxCount", innerAt));
        children(inner, "address").forEach(a -> builder.addVirtualFunction(pciAddress(a, innerAt + "/address")));
      }
    }
    child(pci, "iommuGroup").ifPresent(group -> {
      builder.iommuGroup(intValue(at + "/iommuGroup@number",
          requiredAttribute(group, "number", at + "/iommuGroup")));
      children(group, "address").forEach(
          a -> builder.addIommuGroupMember(pciAddress(a, at + "/iommuGroup/address")));
    });
    child(pci, "pci-express").flatMap(express -> children(express, "link").stream()
            .filter(link -> "sta".equals(attribute(link, "validity").orElse("")))
            .findFirst())
        .ifPresent(link -> {
          builder.linkSpeed(attribute(link, "speed"));
          builder.linkWidth(intAttribute(link, "width", at + "/pci-express/link"));
        });
    return builder.build();
  }

  private static NetCapabilityXml readNet(Element net, String at) {
    ImmutableNetCapabilityXml.Builder builder = NetCapabilityXml.builder()
        .interfaceName(requiredText(net, "interface", at))
        .mac(text(net, "address"));
    child(net, "link").ifPresent(link -> {
      builder.linkState(attribute(link, "state"));
      attribute(link, "speed").ifPresent(speed -> builder.speedMbps(speedMbps(speed, at + "/link@speed")));
    });
    return builder.build();
  }

  /** The kernel's SPEED_UNKNOWN (-1) reaches us as 4294967295 (seen on a virtio NIC): no speed. */
  private static OptionalInt speedMbps(String text, String field) {
    long speed;
    try {
      speed = Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, text, "a link speed in Mb/s");
    }
    return speed > 0 && speed < 0xFFFF_FFFFL && speed <= Integer.MAX_VALUE
        ? OptionalInt.of((int) speed) : OptionalInt.empty();
  }

  private static Optional<String> nonBlank(String text) {
    return text == null || text.isBlank() ? Optional.empty() : Optional.of(text.trim());
  }
}

package org.niovirt.libvirt.xml;

import static org.niovirt.libvirt.xml.DomainXmlCodec.readAddress;
import static org.niovirt.libvirt.xml.DomainXmlCodec.writeAddress;
import static org.niovirt.libvirt.xml.DomainXmlCodec.yesNo;
import static org.niovirt.libvirt.xml.XmlDom.attribute;
import static org.niovirt.libvirt.xml.XmlDom.child;
import static org.niovirt.libvirt.xml.XmlDom.children;
import static org.niovirt.libvirt.xml.XmlDom.intValue;
import static org.niovirt.libvirt.xml.XmlDom.required;
import static org.niovirt.libvirt.xml.XmlDom.requiredAttribute;

import java.util.Optional;
import org.w3c.dom.Element;

/** {@code <interface>} to and from {@link InterfaceXml}: its source by type, MAC, VLAN, driver, teaming. */
final class InterfaceXmlCodec {
  private InterfaceXmlCodec() {}

  static void write(XmlElement element, InterfaceXml nic) {
    element.attribute("type", nic.type());
    InterfaceSourceXml source = nic.source();
    if (source instanceof HostdevSourceXml hostdev) {
      element.attribute("managed", yesNo(hostdev.managed()));
    }
    nic.mac().ifPresent(mac -> element.child("mac").attribute("address", mac));
    if (source instanceof NetworkSourceXml network) {
      element.child("source").attribute("network", network.network());
    } else if (source instanceof BridgeSourceXml bridge) {
      element.child("source").attribute("bridge", bridge.bridge());
    } else if (source instanceof DirectSourceXml direct) {
      element.child("source").attribute("dev", direct.device()).attribute("mode", direct.mode());
    } else if (source instanceof HostdevSourceXml hostdev) {
      writeAddress(element.child("source").child("address"), hostdev.address(), true);
    }
    if (!nic.vlanTags().isEmpty()) {
      XmlElement vlan = element.child("vlan");
      if (nic.vlanTags().size() > 1) {
        vlan.attribute("trunk", "yes");
      }
      nic.vlanTags().forEach(tag -> vlan.child("tag").attribute("id", Integer.toString(tag)));
    }
    nic.targetDevice().ifPresent(dev -> element.child("target").attribute("dev", dev));
    nic.model().ifPresent(model -> element.child("model").attribute("type", model));
    nic.driver().ifPresent(driver -> {
      XmlElement d = element.child("driver");
      driver.name().ifPresent(name -> d.attribute("name", name));
      driver.queues().ifPresent(queues -> d.attribute("queues", Integer.toString(queues)));
    });
    nic.teaming().ifPresent(teaming -> writeTeaming(element, teaming));
    nic.alias().ifPresent(alias -> element.child("alias").attribute("name", alias));
  }

  /** {@code <teaming>} of an interface or a PCI hostdev (libvirt allows it on both). */
  static void writeTeaming(XmlElement parent, TeamingXml teaming) {
    XmlElement t = parent.child("teaming").attribute("type", teaming.type());
    teaming.persistent().ifPresent(alias -> t.attribute("persistent", alias));
  }

  static Optional<TeamingXml> readTeaming(Element parent, String path) {
    return child(parent, "teaming").map(teaming -> new TeamingXml(
        requiredAttribute(teaming, "type", path), attribute(teaming, "persistent")));
  }

  static InterfaceXml read(Element nic) {
    String type = requiredAttribute(nic, "type", "domain/devices/interface");
    Optional<Element> source = child(nic, "source");
    String at = "domain/devices/interface[type=" + type + "]/source";
    InterfaceSourceXml sourceXml;
    switch (type) {
      case "network":
        sourceXml = NetworkSourceXml.of(requiredAttribute(required(source, at), "network", at));
        break;
      case "bridge":
        sourceXml = BridgeSourceXml.of(requiredAttribute(required(source, at), "bridge", at));
        break;
      case "direct":
        sourceXml = DirectSourceXml.of(requiredAttribute(required(source, at), "dev", at),
            attribute(required(source, at), "mode").orElse("vepa"));
        break;
      case "user":
        sourceXml = UserSourceXml.of();
        break;
      case "hostdev":
        Element address = required(source.flatMap(s -> child(s, "address")), at + "/address");
        sourceXml = HostdevSourceXml.of(readAddress(address, at + "/address"),
            "yes".equals(attribute(nic, "managed").orElse("no")));
        break;
      default:
        sourceXml = UnmodelledSourceXml.of(type);
    }
    ImmutableInterfaceXml.Builder builder = InterfaceXml.builder()
        .source(sourceXml)
        .mac(child(nic, "mac").flatMap(m -> attribute(m, "address")))
        .model(child(nic, "model").flatMap(m -> attribute(m, "type")))
        .targetDevice(child(nic, "target").flatMap(t -> attribute(t, "dev")));
    child(nic, "driver").ifPresent(driver -> {
      ImmutableInterfaceDriverXml.Builder d = InterfaceDriverXml.builder()
          .name(attribute(driver, "name"));
      attribute(driver, "queues").ifPresent(
          q -> d.queues(intValue("domain/devices/interface/driver@queues", q)));
      builder.driver(d.build());
    });
    builder.teaming(readTeaming(nic, "domain/devices/interface/teaming"));
    child(nic, "alias").flatMap(alias -> attribute(alias, "name")).ifPresent(builder::alias);
    child(nic, "vlan").ifPresent(vlan -> children(vlan, "tag").forEach(tag -> builder.addVlanTag(
        intValue("domain/devices/interface/vlan/tag@id",
            requiredAttribute(tag, "id", "domain/devices/interface/vlan/tag")))));
    return builder.build();
  }
}

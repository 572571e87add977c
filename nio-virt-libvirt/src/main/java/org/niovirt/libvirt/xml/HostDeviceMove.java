package org.niovirt.libvirt.xml;

import java.util.List;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.w3c.dom.Element;

/**
 * Points a domain's XML, as libvirt returns it, at another host PCI function: the source address
 * of the {@code <interface type='hostdev'>} or {@code <hostdev>} holding {@code from}, and the
 * device in nio-virt's plan record. Edited in the DOM, so everything else libvirt keeps in the
 * domain (controllers, guest addresses, our own metadata) stays as it is.
 */
public final class HostDeviceMove {
  private HostDeviceMove() {}

  /** {@code domainXml} with {@code from} replaced by {@code to}; fails if no device names {@code from}. */
  public static String move(String domainXml, PciAddress from, PciAddress to) {
    Element root = XmlDom.parse(domainXml);
    Element devices = XmlDom.child(root, "devices").orElseThrow(
        () -> new InvalidInputException("domain/devices", null, "the domain has no devices"));
    int moved = 0;
    for (String kind : List.of("interface", "hostdev")) {
      for (Element device : XmlDom.children(devices, kind)) {
        for (Element source : XmlDom.children(device, "source")) {
          for (Element address : XmlDom.children(source, "address")) {
            if (XmlDom.pciAddress(address, "domain/devices/" + kind + "/source/address").equals(from)) {
              XmlDom.pciAddressAttributes(to).forEach(address::setAttribute);
              moved++;
            }
          }
        }
      }
    }
    if (moved == 0) {
      throw new InvalidInputException("domain/devices", from.toString(), "no host device of the domain is at this address");
    }
    XmlDom.child(root, "metadata").ifPresent(metadata -> {
      for (Element plan : XmlDom.children(metadata, RecordedPlan.NAMESPACE, "plan")) {
        for (Element nic : XmlDom.children(plan, RecordedPlan.NAMESPACE, "nic")) {
          for (Element device : XmlDom.children(nic, RecordedPlan.NAMESPACE, "device")) {
            if (device.getTextContent().trim().equals(from.toString())) {
              device.setTextContent(to.toString());
            }
          }
        }
      }
    });
    return LaunchMark.serialize(root);
  }
}

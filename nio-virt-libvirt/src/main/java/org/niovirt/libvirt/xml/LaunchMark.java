package org.niovirt.libvirt.xml;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.niovirt.api.error.NioVirtException;
import org.w3c.dom.Element;

/**
 * The "launch pending" mark in a domain's own metadata: nio-virt defines every domain with it and
 * clears it only once the domain runs. It lives with the domain, so whatever a dead launcher's
 * journal says, and whenever libvirtd finishes a define the launcher did not see end, the next
 * launch recognises a domain that nobody finished launching. {@link DomainXml#launchPendingBy()}
 * models it; the launcher writes it through the model, this class serves XML text.
 */
public final class LaunchMark {
  public static final String NAMESPACE = "https://niovirt.org/xmlns/launch/1";
  public static final String PREFIX = "niovirtlaunch";
  static final String ELEMENT = "pending";
  static final String PID = "launcher-pid";

  private LaunchMark() {}

  /** {@code domainXml} with the mark (and the launcher's PID, for people) added to its metadata. */
  public static String mark(String domainXml, long launcherPid) {
    Element root = XmlDom.parse(domainXml);
    Element metadata = XmlDom.child(root, "metadata").orElseGet(() -> {
      Element created = root.getOwnerDocument().createElement("metadata");
      root.insertBefore(created, XmlDom.child(root, "devices").orElse(null));
      return created;
    });
    Element mark = root.getOwnerDocument().createElementNS(NAMESPACE, PREFIX + ":" + ELEMENT);
    mark.setAttribute(PID, Long.toString(launcherPid));
    metadata.appendChild(mark);
    return serialize(root);
  }

  /** Whether libvirt's XML of a domain still carries the mark. */
  public static boolean isPending(String domainXml) {
    Element root = XmlDom.parse(domainXml);
    return XmlDom.child(root, "metadata")
        .map(metadata -> !XmlDom.children(metadata, NAMESPACE, ELEMENT).isEmpty())
        .orElse(false);
  }

  /**
   * The launcher's PID from the mark in {@code metadata}, if it has one; a mark whose PID does not
   * read (edited by hand) still marks the launch unfinished, with PID 0.
   */
  static Optional<Long> launcherPid(Element metadata) {
    List<Element> marks = XmlDom.children(metadata, NAMESPACE, ELEMENT);
    if (marks.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(marks.get(0).getAttribute(PID)));
    } catch (NumberFormatException e) {
      return Optional.of(0L);
    }
  }

  static String serialize(Element root) {
    try {
      TransformerFactory factory = TransformerFactory.newInstance();
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
      var transformer = factory.newTransformer();
      transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter out = new StringWriter();
      transformer.transform(new DOMSource(root), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new NioVirtException("cannot write the domain XML with its launch mark: " + e.getMessage(), e);
    }
  }
}

package org.niovirt.libvirt.xml;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/** Reading helpers over the JDK DOM, shared by the codecs; errors name the XML path and value. */
final class XmlDom {
  private XmlDom() {}

  /** libvirt writes PCI address parts in hex ({@code 0x10}) and counts in decimal; accept both. */
  static int intValue(String field, String text) {
    try {
      return Integer.decode(text.trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, text, "an integer (decimal or 0x-prefixed hex)");
    }
  }

  /** A 32-bit unsigned value such as a PCI domain, {@code 0x10000}. */
  static int unsignedIntValue(String field, String text) {
    try {
      long value = Long.decode(text.trim());
      if (value < 0 || value > 0xffffffffL) {
        throw new NumberFormatException(text);
      }
      return (int) value;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, text, "an integer 0 to 0xffffffff (decimal or 0x-prefixed hex)");
    }
  }

  /**
   * One configured parser per thread: finding and configuring a factory costs more than parsing a
   * domain, and the ledger parses one per changed domain. A builder is reset before each reuse.
   */
  private static final ThreadLocal<DocumentBuilder> BUILDER = ThreadLocal.withInitial(XmlDom::newBuilder);

  private static DocumentBuilder newBuilder() {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      // Our own <metadata> is found by namespace URI; unqualified names read as before.
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      factory.setXIncludeAware(false);
      DocumentBuilder builder = factory.newDocumentBuilder();
      builder.setErrorHandler(null);
      return builder;
    } catch (ParserConfigurationException e) {
      throw new IllegalStateException("the JDK's XML parser lacks a standard feature", e);
    }
  }

  static Element parse(String xml) {
    DocumentBuilder builder = BUILDER.get();
    builder.reset();
    builder.setErrorHandler(null);
    try {
      return builder.parse(new InputSource(new StringReader(xml))).getDocumentElement();
    } catch (SAXException | IOException e) {
      throw new InvalidInputException("xml", abbreviate(xml), "well-formed XML: " + e.getMessage());
    }
  }

  static String abbreviate(String text) {
    return text == null || text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  static Optional<Element> child(Element parent, String name) {
    List<Element> found = children(parent, name);
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  /** Direct child elements named {@code name}, or all of them when {@code name} is null. */
  static List<Element> children(Element parent, String name) {
    List<Element> found = new ArrayList<>();
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element && (name == null || name.equals(((Element) node).getTagName()))) {
        found.add((Element) node);
      }
    }
    return found;
  }

  /** Direct child elements in {@code namespace} with local name {@code localName}. */
  static List<Element> children(Element parent, String namespace, String localName) {
    List<Element> found = new ArrayList<>();
    for (Element element : children(parent, null)) {
      if (namespace.equals(element.getNamespaceURI()) && localName.equals(element.getLocalName())) {
        found.add(element);
      }
    }
    return found;
  }

  static Optional<String> attribute(Element element, String name) {
    return element.hasAttribute(name) ? Optional.of(element.getAttribute(name)) : Optional.empty();
  }

  static Optional<String> text(Element parent, String name) {
    return child(parent, name).map(e -> e.getTextContent().trim());
  }

  static String requiredText(Element parent, String name, String at) {
    return text(parent, name).orElseThrow(
        () -> new InvalidInputException(at + "/" + name, null, "<" + name + "> is required"));
  }

  static String requiredAttribute(Element element, String name, String at) {
    return attribute(element, name).orElseThrow(
        () -> new InvalidInputException(at + "@" + name, null, "attribute '" + name + "' is required"));
  }

  static Element required(Optional<Element> element, String at) {
    return element.orElseThrow(() -> new InvalidInputException(at, null, "element is required"));
  }

  /** Reads an integer attribute; used by the node device reader of this module too. */
  static OptionalInt intAttribute(Element element, String name, String field) {
    return attribute(element, name).map(v -> OptionalInt.of(intValue(field + "@" + name, v)))
        .orElse(OptionalInt.empty());
  }

  /**
   * The attributes of {@code <address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>}
   * for {@code address}, in libvirt's order: what {@link #pciAddress} reads back.
   */
  static java.util.Map<String, String> pciAddressAttributes(PciAddress address) {
    java.util.Map<String, String> attributes = new java.util.LinkedHashMap<>();
    attributes.put("domain", String.format("0x%04x", Integer.toUnsignedLong(address.domain())));
    attributes.put("bus", String.format("0x%02x", address.bus()));
    attributes.put("slot", String.format("0x%02x", address.slot()));
    attributes.put("function", String.format("0x%x", address.function()));
    return attributes;
  }

  /** {@code <address domain='0x0000' bus='0x01' slot='0x10' function='0x0'/>}. */
  static PciAddress pciAddress(Element address, String field) {
    int domain = unsignedIntValue(field + "@domain", attribute(address, "domain").orElse("0"));
    int bus = intValue(field + "@bus", requiredAttribute(address, "bus", field));
    int slot = intValue(field + "@slot", requiredAttribute(address, "slot", field));
    int function = intValue(field + "@function", requiredAttribute(address, "function", field));
    try {
      return PciAddress.of(domain, bus, slot, function);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(field, domain + ":" + bus + ":" + slot + "." + function,
          "a PCI address in range (domain 0-0xffffffff, bus 0-0xff, slot 0-0x1f, function 0-7)");
    }
  }
}

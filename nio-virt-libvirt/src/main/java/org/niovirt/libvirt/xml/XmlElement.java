package org.niovirt.libvirt.xml;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.niovirt.api.error.InvalidInputException;

/**
 * An element being written: attributes keep their insertion order (libvirt's own order, easier to
 * compare by eye than DOM's alphabetical one), and StAX escapes every value on output.
 */
final class XmlElement {
  /** Looking a factory up costs more than writing a domain; factories are not shared between threads. */
  private static final ThreadLocal<XMLOutputFactory> OUTPUT = ThreadLocal.withInitial(XMLOutputFactory::newFactory);
  private final String name;
  /** Prefix and URI of the element's namespace; null for libvirt's own (unqualified) elements. */
  private final String prefix;
  private final String namespace;
  /** True on the element that carries the {@code xmlns:prefix} declaration. */
  private final boolean declaresNamespace;
  private final Map<String, String> attributes = new LinkedHashMap<>();
  private final List<XmlElement> children = new ArrayList<>();
  private String text;

  XmlElement(String name) {
    this(name, null, null, false);
  }

  private XmlElement(String name, String prefix, String namespace, boolean declaresNamespace) {
    this.name = name;
    this.prefix = prefix;
    this.namespace = namespace;
    this.declaresNamespace = declaresNamespace;
  }

  XmlElement attribute(String attribute, String value) {
    attributes.put(attribute, requireXmlChars(name + "@" + attribute, value));
    return this;
  }

  XmlElement text(String value) {
    this.text = requireXmlChars(name, value);
    return this;
  }

  /** Adds and returns a new child element, in this element's namespace. */
  XmlElement child(String childName) {
    return add(new XmlElement(childName, prefix, namespace, false));
  }

  /** Adds and returns a child in {@code namespace}, declared on it; its own children inherit it. */
  XmlElement namespacedChild(String prefix, String childName, String namespace) {
    return add(new XmlElement(childName, prefix, namespace, true));
  }

  private XmlElement add(XmlElement child) {
    children.add(child);
    return child;
  }

  /** Adds {@code <childName>text</childName>}. */
  XmlElement textChild(String childName, String value) {
    child(childName).text(value);
    return this;
  }

  /** The whole tree as indented text (two spaces per level, no XML declaration). */
  String toXml() {
    StringWriter out = new StringWriter();
    try {
      XMLStreamWriter writer = OUTPUT.get().createXMLStreamWriter(out);
      write(writer, 0);
      writer.flush();
      writer.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("StAX failed writing to a string", e);
    }
    return out.append('\n').toString();
  }

  private void write(XMLStreamWriter writer, int depth) throws XMLStreamException {
    boolean empty = children.isEmpty() && text == null;
    if (namespace == null) {
      if (empty) {
        writer.writeEmptyElement(name);
      } else {
        writer.writeStartElement(name);
      }
    } else if (empty) {
      writer.writeEmptyElement(prefix, name, namespace);
    } else {
      writer.writeStartElement(prefix, name, namespace);
    }
    if (declaresNamespace) {
      writer.writeNamespace(prefix, namespace);
    }
    for (Map.Entry<String, String> attribute : attributes.entrySet()) {
      writer.writeAttribute(attribute.getKey(), attribute.getValue());
    }
    if (empty) {
      return;
    }
    if (text != null) {
      writer.writeCharacters(text);
    }
    for (XmlElement child : children) {
      writer.writeCharacters("\n" + "  ".repeat(depth + 1));
      child.write(writer, depth + 1);
    }
    if (!children.isEmpty()) {
      writer.writeCharacters("\n" + "  ".repeat(depth));
    }
    writer.writeEndElement();
  }

  /** XML 1.0 cannot carry most control characters even escaped; say so instead of writing junk. */
  private static String requireXmlChars(String field, String value) {
    if (value == null) {
      throw new InvalidInputException(field, null, "a value is required");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xfffe || c == 0xffff) {
        throw new InvalidInputException(field, value.replace(c, '?'),
            "contains the control character U+" + String.format("%04X", (int) c)
                + ", which XML cannot carry");
      }
    }
    return value;
  }
}

package org.niovirt.libvirt.xml;

/**
 * What an {@code <interface>} plugs into. The variant decides the interface's {@code type}
 * attribute, so a network interface can never carry a bridge source by mistake.
 */
public sealed interface InterfaceSourceXml
    permits NetworkSourceXml, BridgeSourceXml, DirectSourceXml, UserSourceXml, HostdevSourceXml,
        UnmodelledSourceXml {
  /** The {@code type} attribute of the enclosing {@code <interface>}. */
  String interfaceType();
}

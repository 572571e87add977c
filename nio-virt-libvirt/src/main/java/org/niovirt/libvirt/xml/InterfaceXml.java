package org.niovirt.libvirt.xml;

import java.util.List;
import java.util.Optional;
import org.immutables.value.Value;

/** One {@code <interface>}; its {@code type} attribute follows from {@link #source()}. */
@Value.Immutable
public interface InterfaceXml {
  InterfaceSourceXml source();

  /** {@code <mac address='52:54:00:..'/>}; libvirt generates one when absent. */
  Optional<String> mac();

  /** {@code <model type='virtio'/>}. */
  Optional<String> model();

  Optional<InterfaceDriverXml> driver();

  /** {@code <vlan><tag id='N'/></vlan>}: one tag is an access port, several a trunk. */
  List<Integer> vlanTags();

  /** {@code <target dev='vnet0'/>}, set by libvirt on a running domain. */
  Optional<String> targetDevice();

  /** {@code <alias name='ua-...'/>}: a user alias, by which a failover primary names its standby. */
  Optional<String> alias();

  /** {@code <teaming .../>} of a virtio-net failover pair. */
  Optional<TeamingXml> teaming();

  default String type() {
    return source().interfaceType();
  }

  static ImmutableInterfaceXml.Builder builder() {
    return ImmutableInterfaceXml.builder();
  }
}

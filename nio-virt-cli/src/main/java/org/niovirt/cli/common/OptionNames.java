package org.niovirt.cli.common;

import org.niovirt.api.request.FieldNames;

/** The request's fields by the options that feed them, so errors name what the user typed. */
final class OptionNames implements FieldNames {
  @Override
  public String guestName() {
    return "--name";
  }

  @Override
  public String vcpus() {
    return "--vcpus";
  }

  @Override
  public String nics() {
    return "--nics";
  }

  @Override
  public String count(int nic) {
    return "--nics";
  }

  @Override
  public String macs(int nic) {
    return "--mac";
  }

  @Override
  public String vlan(int nic) {
    return "--vlan";
  }

  @Override
  public String numaNode(int nic) {
    return "--numa-node";
  }

  @Override
  public String minBandwidthMbps(int nic) {
    return "--min-bandwidth";
  }

  @Override
  public String pinned(int nic) {
    return "--pin";
  }

  @Override
  public String network(int nic) {
    return "--network";
  }

  @Override
  public String bridge(int nic) {
    return "--bridge";
  }

  @Override
  public String direct(int nic) {
    return "--direct";
  }
}

package org.niovirt.api.request;

import org.immutables.value.Value;

/** {@link VirtioAttachment#bridge}. */
@Value.Immutable(builder = false)
public non-sealed interface BridgeAttachment extends VirtioAttachment {
  @Value.Parameter
  String name();

  @Override
  default String describe() {
    return "bridge " + name();
  }
}

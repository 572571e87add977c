package org.niovirt.api.request;

import org.immutables.value.Value;

/** {@link VirtioAttachment#network}. */
@Value.Immutable(builder = false)
public non-sealed interface NetworkAttachment extends VirtioAttachment {
  @Value.Parameter
  String name();

  @Override
  default String describe() {
    return "network " + name();
  }
}

package org.niovirt.api.request;

import org.immutables.value.Value;

/** {@link VirtioAttachment#direct}. */
@Value.Immutable(builder = false)
public non-sealed interface DirectAttachment extends VirtioAttachment {
  @Value.Parameter
  String hostInterface();

  @Override
  default String describe() {
    return "direct " + hostInterface();
  }
}

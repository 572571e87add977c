package org.niovirt.api.request;

import org.immutables.value.Value;

/** {@link VirtioAttachment#user}. */
@Value.Immutable(builder = false, singleton = true)
public non-sealed interface UserAttachment extends VirtioAttachment {
  @Override
  default String describe() {
    return "user";
  }
}

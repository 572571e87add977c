package org.niovirt.api.error;

/** The set of providers cannot make a planner: none found, or two claim one technology. */
public final class ProviderConfigurationException extends NioVirtException {
  public ProviderConfigurationException(String problem, String hint) {
    super(problem, hint, null);
  }
}

package org.niovirt.api.advice;

import java.util.Optional;

/**
 * One host change: what it is, exactly how to make it, whether it needs a reboot or a firmware
 * change, and its risk when it has one.
 *
 * @param change what changes, e.g. {@code kernel command line: add intel_iommu=on}
 * @param how the exact command or file line
 * @param reboot whether the change takes effect only after a reboot
 * @param firmware whether it is a firmware (BIOS/UEFI) setting
 * @param risk what the change exposes, in plain words; empty when nothing
 */
public record Remedy(String change, String how, boolean reboot, boolean firmware, Optional<String> risk) {
  /** {@code kernel command line: add intel_iommu=on (GRUB_CMDLINE_LINUX ...); reboot}. */
  public String describe() {
    return change + " (" + how + ")" + (firmware ? "; firmware setting" : "") + (reboot ? "; reboot" : "")
        + risk.map(r -> "; risk: " + r).orElse("");
  }
}

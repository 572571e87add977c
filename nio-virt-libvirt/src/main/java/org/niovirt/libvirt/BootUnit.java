package org.niovirt.libvirt;

import java.util.List;
import org.niovirt.api.text.Printable;

/**
 * The systemd unit that re-applies a {@link BootState} at every boot, before libvirt starts.
 * A oneshot service rather than a udev rule: it must run once, after the PF drivers bound and
 * before {@code libvirtd}/{@code virtqemud} and {@code libvirt-guests} (which starts guests on
 * boot), and systemd orders that directly; a udev rule would fire per device, race libvirt, and
 * must not run long. Each PF's {@code sriov_numvfs} goes 0 then N (a driver's {@code max_vfs}
 * may have made other VFs; the kernel refuses N to M directly), and its netdevs are brought up.
 *
 * <p>The commands hold nothing but PCI addresses (parsed, so only hex digits, colons and a dot)
 * and numbers: guest names appear in comments only, escaped. {@code $} and {@code %} are doubled
 * as systemd requires in ExecStart.
 */
public final class BootUnit {
  /** Where {@code nio-virt host persist} writes it. */
  public static final String NAME = "nio-virt-sriov.service";
  public static final String DEFAULT_PATH = "/etc/systemd/system/" + NAME;
  /** How long a command waits for its PF's driver to create {@code sriov_numvfs} (tenths of a second). */
  static final int DRIVER_WAIT_TENTHS = 300;

  private BootUnit() {}

  /** The unit's text for {@code state}. */
  public static String render(BootState state) {
    StringBuilder unit = new StringBuilder();
    unit.append("# Written by `nio-virt host persist` (and kept current by `nio-virt launch`): re-creates\n")
        .append("# the SR-IOV VFs that libvirt's defined domains use, and raises their PFs' links, before\n")
        .append("# libvirt starts. A reboot resets sriov_numvfs to 0 and libvirt cannot re-create VFs.\n")
        .append("# Remove with `nio-virt host unpersist`; do not edit: the next persist rewrites it.\n")
        .append("[Unit]\n")
        .append("Description=nio-virt: SR-IOV VFs for libvirt guests\n")
        .append("After=systemd-modules-load.service systemd-udev-trigger.service\n")
        .append("Before=libvirtd.service virtqemud.service libvirt-guests.service\n")
        .append("ConditionPathIsDirectory=/sys/bus/pci/devices\n\n")
        .append("[Service]\n")
        .append("Type=oneshot\n")
        .append("RemainAfterExit=yes\n");
    for (BootState.PhysicalFunctionState pf : state.physicalFunctions()) {
      unit.append("# ").append(pf.physicalFunction()).append(": ").append(pf.numVfs())
          .append(" VF(s), for ").append(Printable.escape(String.join(", ", pf.guests()))).append('\n');
      for (String command : commands(pf)) {
        unit.append("ExecStart=/bin/sh -c '").append(systemdEscape(command)).append("'\n");
      }
    }
    for (String device : state.unresolved()) {
      unit.append("# not re-created, its PF or index is unknown: ").append(Printable.escape(device))
          .append('\n');
    }
    unit.append("\n[Install]\n")
        .append("WantedBy=multi-user.target\n");
    return unit.toString();
  }

  /** The shell commands for one PF (what an init without systemd runs, in order). */
  public static List<String> commands(BootState.PhysicalFunctionState pf) {
    return commands(pf, "");
  }

  /** {@link #commands(BootState.PhysicalFunctionState)} on a tree under {@code root} (tests, labs). */
  static List<String> commands(BootState.PhysicalFunctionState pf, String root) {
    if (root.indexOf('\'') >= 0 || root.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("root: a plain path without quotes or spaces");
    }
    String device = root + "/sys/bus/pci/devices/" + pf.physicalFunction();
    String numVfs = device + "/sriov_numvfs";
    return List.of(
        "i=0; while [ ! -w " + numVfs + " ] && [ $i -lt " + DRIVER_WAIT_TENTHS + " ]; do sleep 0.1;"
            + " i=$((i+1)); done; [ \"$(cat " + numVfs + ")\" = " + pf.numVfs() + " ]"
            + " || { echo 0 > " + numVfs + " && echo " + pf.numVfs() + " > " + numVfs + "; }",
        "for n in " + device + "/net/*; do [ -e \"$n\" ] && ip link set dev \"${n##*/}\" up; done; true");
  }

  /** systemd expands {@code $VAR} and {@code %x} in ExecStart: doubled, the shell gets them as written. */
  static String systemdEscape(String command) {
    if (command.indexOf('\'') >= 0 || command.indexOf('\\') >= 0 || command.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("a unit command must not hold quotes, backslashes or newlines");
    }
    return command.replace("$", "$$").replace("%", "%%");
  }
}

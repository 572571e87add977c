package org.niovirt.libvirt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;

/** {@code ip link set dev NAME up|down}, run as an argument list (never through a shell). */
public final class IpLinkControl implements LinkControl {
  /** Linux interface names: 1-15 bytes; a leading '-' would read as an option, so none. */
  static final Pattern NETDEV = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,14}");
  private static final long TIMEOUT_SECONDS = 10;
  private final String ipCommand;

  public IpLinkControl() {
    this("ip");
  }

  /** {@code ipCommand}: the {@code ip} binary to run, e.g. {@code /usr/sbin/ip}. */
  public IpLinkControl(String ipCommand) {
    this.ipCommand = ipCommand;
  }

  @Override
  public void setLinkUp(String netdev, boolean up) {
    requireNetdevName(netdev);
    run(List.of(ipCommand, "link", "set", "dev", netdev, up ? "up" : "down"));
  }

  /** {@code ip link set dev PF vf N mac 00:00:00:00:00:00 vlan 0}. */
  @Override
  public void clearVf(String pfNetdev, int vfIndex) {
    requireNetdevName(pfNetdev);
    if (vfIndex < 0) {
      throw new InvalidInputException("vfIndex", vfIndex, "a VF index, 0 or more");
    }
    run(List.of(ipCommand, "link", "set", "dev", pfNetdev, "vf", Integer.toString(vfIndex),
        "mac", "00:00:00:00:00:00", "vlan", "0"));
  }

  private static void run(List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new HostPreparationException("cannot run " + command + ": " + e.getMessage(),
          "install iproute2", e);
    }
    try (InputStream output = process.getInputStream()) {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new HostPreparationException(command + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).trim();
      if (process.exitValue() != 0) {
        throw new HostPreparationException(command + " failed with exit status "
            + process.exitValue() + ": " + text);
      }
    } catch (IOException e) {
      throw new HostPreparationException("reading the output of " + command + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new HostPreparationException("interrupted while running " + command, e);
    }
  }

  /** Refuses anything but a Linux interface name (so it is safe as a command argument). */
  public static void requireNetdevName(String netdev) {
    if (netdev == null || !NETDEV.matcher(netdev).matches()) {
      throw new InvalidInputException("netdev", netdev,
          "a Linux interface name: 1-15 letters, digits, '_', '.', '-', not starting with '-'");
    }
  }
}

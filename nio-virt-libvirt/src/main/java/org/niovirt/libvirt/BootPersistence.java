package org.niovirt.libvirt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.niovirt.api.model.HostInventory;

/**
 * Makes a {@link BootState} survive reboots: writes {@link BootUnit}'s unit file (atomically, mode
 * 0644) and, when systemd runs this host, reloads it and enables the unit. The unit file is the
 * record of the desired state; nothing else outside nio-virt's state directory is edited (enabling
 * is systemd's own link under {@code multi-user.target.wants}).
 */
public final class BootPersistence {
  private final Path unitFile;
  private final boolean systemdRuns;

  /**
   * {@code unitFile}: usually {@link BootUnit#DEFAULT_PATH}. systemd is told (reload, enable) only
   * when it runs this host and the file is in its unit directory: a unit written elsewhere (a
   * test, a file to copy) leaves the running system alone.
   */
  public BootPersistence(Path unitFile) {
    this(unitFile, Files.isDirectory(Path.of("/run/systemd/system"))
        && Path.of(BootUnit.DEFAULT_PATH).getParent().equals(unitFile.toAbsolutePath().normalize().getParent()));
  }

  BootPersistence(Path unitFile, boolean systemdRuns) {
    this.unitFile = unitFile;
    this.systemdRuns = systemdRuns;
  }

  public Path unitFile() {
    return unitFile;
  }

  /** The state the defined domains of {@code host} need on {@code inventory}'s hardware. */
  public static BootState desired(LibvirtHost host, HostInventory inventory) {
    return BootState.of(host.list(), inventory);
  }

  /** Writes the unit for {@code state} (replacing any) and enables it; returns what was done. */
  public List<String> persist(BootState state) {
    List<String> done = new ArrayList<>();
    String text = BootUnit.render(state);
    try {
      Files.createDirectories(unitFile.toAbsolutePath().getParent());
      Path temporary = unitFile.resolveSibling(unitFile.getFileName() + ".tmp");
      Files.deleteIfExists(temporary);
      Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
      Files.writeString(temporary, text, StandardCharsets.UTF_8);
      Files.move(temporary, unitFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostPreparationException("cannot write the boot unit " + unitFile + ": " + e,
          "run as root, or give another path (--unit-file)", e);
    }
    done.add("wrote " + unitFile + " (" + state.physicalFunctions().size() + " PF(s))");
    if (systemdRuns) {
      systemctl("daemon-reload");
      systemctl("enable", unitFile.getFileName().toString());
      done.add("enabled " + unitFile.getFileName() + " (runs before libvirtd at every boot)");
    } else {
      done.add("not enabled (systemd does not run here, or the file is outside "
          + Path.of(BootUnit.DEFAULT_PATH).getParent() + ")");
    }
    return done;
  }

  /** Disables and removes the unit, if there is one; returns what was done. */
  public List<String> unpersist() {
    List<String> done = new ArrayList<>();
    if (!Files.exists(unitFile)) {
      done.add(unitFile + " does not exist: nothing to remove");
      return done;
    }
    if (systemdRuns) {
      systemctl("disable", unitFile.getFileName().toString());
      done.add("disabled " + unitFile.getFileName());
    }
    try {
      Files.delete(unitFile);
    } catch (IOException e) {
      throw new HostPreparationException("cannot remove the boot unit " + unitFile + ": " + e,
          "run as root", e);
    }
    done.add("removed " + unitFile);
    if (systemdRuns) {
      systemctl("daemon-reload");
    }
    return done;
  }

  /** systemctl with fixed words only: the unit's name is ours, never a user's string. */
  private static void systemctl(String... words) {
    List<String> command = new ArrayList<>(List.of("systemctl"));
    command.addAll(List.of(words));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new HostPreparationException(String.join(" ", command) + " failed: " + output,
            "check `systemctl status`; the unit file is written", null);
      }
    } catch (IOException e) {
      throw new HostPreparationException("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostPreparationException("interrupted while running " + String.join(" ", command), e);
    }
  }
}

package org.niovirt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.cli.common.InputErrors;
import org.niovirt.libvirt.LaunchPhase;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.SampleHost;
import org.niovirt.remote.RemoteHostAccess;
import org.niovirt.remote.SshDestination;
import picocli.CommandLine.Option;

/** {@code --connect} or {@code --sample-host}: which libvirt. */
final class ConnectOptions {
  @Option(names = {"-c", "--connect"}, paramLabel = "URI",
      description = "libvirt connection. Default: " + ConnectionInfo.DEFAULT_URI
          + ", libvirt's in-process test driver (nothing on this host changes)."
          + " qemu:///system for real guests.")
  String givenUri;

  @Option(names = "--sample-host",
      description = "Rehearse on the SDK's sample host: libvirt's test driver with a made-up host "
          + "(two SR-IOV PFs with VFs, a shared IOMMU group, a VT-d candidate). Implies its "
          + "hardware.")
  boolean sampleHost;

  /** Set once the sample host's node file is written: one file per run. */
  private String sampleUri;

  /** The URI in effect. */
  String uri() {
    if (sampleHost) {
      if (sampleUri == null) {
        sampleUri = SampleHost.write(sampleDirectory());
      }
      return sampleUri;
    }
    return givenUri == null ? ConnectionInfo.DEFAULT_URI : givenUri;
  }

  ConnectionInfo connection() {
    return new ConnectionInfo(uri());
  }

  /** Connects, saying first (on stderr) when it is the test driver. */
  LibvirtHost connect(Progress progress) {
    return connect(progress, false);
  }

  /**
   * Connects for a command that may change the host (launch, destroy, repair): for a host reached
   * over SSH, its lock, sysfs, {@code ip link} and journal are then that host's, over one SSH
   * session that closes with the connection.
   */
  LibvirtHost connectToChange(Progress progress) {
    return connect(progress, true);
  }

  private LibvirtHost connect(Progress progress, boolean changesHost) {
    if (sampleHost && givenUri != null) {
      throw new InvalidInputException("--sample-host", "with --connect " + givenUri,
          "the sample host is its own connection; give one of them");
    }
    try {
      return open(uri(), progress, changesHost);
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("uri", "--connect"));
    }
  }

  /** Connects to {@code uri} (a fleet's host too); {@code changesHost}: see {@link #connectToChange}. */
  static LibvirtHost open(String uri, Progress progress, boolean changesHost) {
    ConnectionInfo connection = new ConnectionInfo(uri);
    if (connection.testDriver()) {
      progress.note(connection.note());
    }
    LibvirtHostOptions local = LibvirtHostOptions.builder()
        .launchListener((guest, phase) -> progress.detail(describe(phase)))
        .build();
    Optional<SshDestination> remote = changesHost ? SshDestination.fromLibvirtUri(uri) : Optional.empty();
    if (remote.isEmpty()) {
      return progress.step("Connecting to " + uri, () -> LibvirtHost.connect(uri, local));
    }
    RemoteHostAccess access = progress.step("Opening SSH access to " + remote.get().describe(),
        () -> RemoteHostAccess.open(remote.get()));
    try {
      LibvirtHostOptions options = access.configure(local);
      return progress.step("Connecting to " + uri, () -> LibvirtHost.connect(uri, options));
    } catch (RuntimeException e) {
      access.close();
      throw e;
    }
  }

  /** A launch's steps in words, for the progress line. */
  static String describe(LaunchPhase phase) {
    switch (phase) {
      case LOCKED:
        return "host lock held";
      case PLANNED:
        return "devices checked against libvirt's ledger";
      case JOURNALED:
        return "launch journal written";
      case HOST_PREPARED:
        return "host prepared (VFs, PF links)";
      case DEFINING:
        return "defining the domain";
      case DEFINED:
        return "domain defined";
      case STARTING:
        return "starting the domain";
      case STARTED:
        return "domain started";
      case ROLLED_BACK:
        return "start failed: every change undone";
      default:
        return phase.name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static Path sampleDirectory() {
    try {
      Path directory = Files.createTempDirectory("nio-virt-sample-host");
      directory.toFile().deleteOnExit();
      directory.resolve("sample-host.xml").toFile().deleteOnExit();
      return directory;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a folder for the sample host's node file", e);
    }
  }
}

package org.niovirt.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.cli.common.InputErrors;
import org.niovirt.libvirt.LaunchPhase;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.SampleHost;
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
    if (sampleHost && givenUri != null) {
      throw new InvalidInputException("--sample-host", "with --connect " + givenUri,
          "the sample host is its own connection; give one of them");
    }
    String uri = uri();
    ConnectionInfo connection = new ConnectionInfo(uri);
    if (connection.testDriver()) {
      progress.note(connection.note());
    }
    try {
      LibvirtHostOptions options = LibvirtHostOptions.builder()
          .launchListener((guest, phase) -> progress.detail(describe(phase)))
          .build();
      return progress.step("Connecting to " + uri, () -> LibvirtHost.connect(uri, options));
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("uri", "--connect"));
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

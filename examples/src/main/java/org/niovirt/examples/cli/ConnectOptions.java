package org.niovirt.examples.cli;

import java.util.Map;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.examples.common.ConnectionInfo;
import org.niovirt.examples.common.InputErrors;
import org.niovirt.libvirt.LibvirtHost;
import picocli.CommandLine.Option;

/** {@code --connect}: which libvirt. */
final class ConnectOptions {
  @Option(names = {"-c", "--connect"}, paramLabel = "URI", defaultValue = ConnectionInfo.DEFAULT_URI,
      description = {"libvirt connection. Default: ${DEFAULT-VALUE}, libvirt's in-process test",
          "driver (nothing on this host changes). qemu:///system for real guests."})
  String uri;

  ConnectionInfo connection() {
    return new ConnectionInfo(uri);
  }

  /** Connects, saying first (on stderr) when it is the test driver. */
  LibvirtHost connect(Progress progress) {
    ConnectionInfo connection = connection();
    if (connection.testDriver()) {
      progress.note(connection.note());
    }
    try {
      return progress.step("Connecting to " + uri, () -> LibvirtHost.connect(uri));
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("uri", "--connect"));
    }
  }
}

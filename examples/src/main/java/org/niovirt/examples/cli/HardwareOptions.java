package org.niovirt.examples.cli;

import java.nio.file.Path;
import java.util.Map;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.detect.HostDetector;
import org.niovirt.examples.common.InputErrors;
import picocli.CommandLine.Option;

/** {@code --root}: whose hardware to read, this host's or a captured one. */
final class HardwareOptions {
  @Option(names = "--root", paramLabel = "DIR|TAR.GZ",
      description = {"Read the hardware from a captured tree or a snapshot (nio-virt snapshot)",
          "instead of this host's /sys and /proc."})
  Path root;

  /** Where the hardware is read from, for messages. */
  String source() {
    return root == null ? "this host" : root.toString();
  }

  HostInventory detect(Progress progress) {
    HostDetector detector;
    try {
      detector = root == null ? HostDetector.forThisHost() : HostDetector.open(root);
    } catch (InvalidInputException e) {
      throw InputErrors.relabel(e, Map.of("root", "--root", "snapshot", "--root"));
    }
    return progress.step("Detecting the network cards of " + source(), detector::detect);
  }
}

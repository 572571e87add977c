package org.niovirt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** libvirt prints every error to the process's stderr unless an error callback is set: we set one. */
class LibvirtErrorCallbackTest {
  @Test
  void handledLibvirtErrorsPrintNothingOnStderr() throws Exception {
    Process child = new ProcessBuilder(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"),
        "-Dorg.slf4j.simpleLogger.logFile=System.out",
        QuietErrorsMain.class.getName())).start();
    String stdout = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(child.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(child.waitFor(1, TimeUnit.MINUTES)).isTrue();

    assertThat(stdout).contains("handled: VIR_ERR_NO_DOMAIN").contains("handled: VIR_ERR_");
    assertThat(stdout.lines().filter(l -> l.startsWith("handled:"))).hasSize(2);
    assertThat(stderr).as("the child's stderr").isEmpty();
  }
}

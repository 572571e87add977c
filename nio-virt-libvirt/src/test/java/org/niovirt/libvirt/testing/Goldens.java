package org.niovirt.libvirt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under src/test/resources/golden/. */
public final class Goldens {
  private Goldens() {}

  public static String read(String name) throws IOException {
    try (InputStream in = Goldens.class.getResourceAsStream("/golden/" + name)) {
      if (in == null) {
        throw new AssertionError("golden file missing: src/test/resources/golden/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** On a mismatch the actual text goes to target/golden-actual/ for review (and to update the file). */
  public static void assertMatches(String name, String actual) throws IOException {
    Path copy = Path.of("target", "golden-actual", name);
    Files.createDirectories(copy.getParent());
    Files.writeString(copy, actual, StandardCharsets.UTF_8);
    assertThat(actual).as("output vs src/test/resources/golden/%s (actual in %s)", name, copy)
        .isEqualTo(read(name));
  }
}

package org.niovirt.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What reaches the terminal: text as it was, controls as visible escapes, however it is split. */
class EscapingOutputStreamTest {
  private static String through(String text, int chunk) throws IOException {
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    EscapingOutputStream out = new EscapingOutputStream(sink);
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int at = 0; at < bytes.length; at += chunk) {
      out.write(bytes, at, Math.min(chunk, bytes.length - at));
    }
    out.flush();
    return sink.toString(StandardCharsets.UTF_8);
  }

  @Test
  void controlsAreEscapedAndEverythingElseIsKeptInAnyChunking() throws IOException {
    String text = "eth0\tup\n\u001b[31mred\u0007 caf\u00e9 \u009b1m end\u00c2\n";
    String expected = "eth0\tup\n\\x1b[31mred\\x07 caf\u00e9 \\x9b1m end\u00c2\n";
    for (int chunk : new int[] {1, 2, 3, 7, 4096}) {
      assertThat(through(text, chunk)).as("chunks of %d bytes", chunk).isEqualTo(expected);
    }
  }
}

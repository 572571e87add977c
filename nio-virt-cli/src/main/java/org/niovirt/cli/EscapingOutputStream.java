package org.niovirt.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output as the user's terminal receives it: control characters (C0 but newline and tab,
 * DEL, and C1 as UTF-8 {@code C2 80}..{@code C2 9F}) become visible escapes such as {@code \x1b},
 * so names from a captured host tree can never drive the terminal. JSON and XML output hold none.
 */
final class EscapingOutputStream extends FilterOutputStream {
  private boolean pendingC2;

  EscapingOutputStream(OutputStream out) {
    super(out);
  }

  @Override
  public void write(int b) throws IOException {
    int value = b & 0xff;
    if (pendingC2) {
      pendingC2 = false;
      if (value >= 0x80 && value <= 0x9f) {
        escape(value);
        return;
      }
      out.write(0xc2);
    }
    if (value == 0xc2) {
      pendingC2 = true;
    } else if ((value < 0x20 && value != '\n' && value != '\t') || value == 0x7f) {
      escape(value);
    } else {
      out.write(value);
    }
  }

  /** Runs of harmless bytes go through in one write; only the bytes around a control are handled one by one. */
  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int end = offset + length;
    int clean = offset;
    for (int i = offset; i < end; i++) {
      int value = bytes[i] & 0xff;
      if (needsCare(value)) {
        out.write(bytes, clean, i - clean);
        write(value);
        clean = i + 1;
      }
    }
    out.write(bytes, clean, end - clean);
  }

  /** A control byte, the lead byte of a possible C1 control, or anything right after one. */
  private boolean needsCare(int value) {
    return pendingC2 || value == 0xc2 || value < 0x20 && value != '\n' && value != '\t' || value == 0x7f;
  }

  @Override
  public void flush() throws IOException {
    if (pendingC2) {
      // A split character: the next write completes it, so hold it back.
      out.flush();
      return;
    }
    out.flush();
  }

  private void escape(int value) throws IOException {
    out.write(String.format("\\x%02x", value).getBytes(StandardCharsets.US_ASCII));
  }
}

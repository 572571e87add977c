package org.niovirt.detect;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.niovirt.api.text.Printable;

/**
 * Watches a tar stream's 512-byte headers before the tar reader sees them, so that a hostile
 * archive is refused before anything is buffered: a first block that is no tar header (a gzip of
 * plain text), a PAX or GNU long-name header larger than any path, too many entries, or more
 * bytes than any capture holds. Everything else passes through unchanged.
 */
final class TarHeaderGuard extends FilterInputStream {
  static final int BLOCK = 512;
  /** PAX records and GNU long names hold paths and link targets: a few KiB at most. */
  static final long MAX_EXTENDED_HEADER_BYTES = 64 << 10;

  private final long maxEntries;
  private final long maxBytes;
  private final byte[] header = new byte[BLOCK];
  private int headerFill;
  /** Bytes of entry content (padded to whole blocks) still to pass before the next header. */
  private long contentLeft;
  private long entries;
  private long total;

  TarHeaderGuard(InputStream in, long maxEntries, long maxBytes) {
    super(in);
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    int n = super.read(buffer, offset, length);
    if (n > 0) {
      inspect(buffer, offset, n);
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    // Skipped bytes must be inspected too: read them instead.
    byte[] sink = new byte[(int) Math.min(n, 8192)];
    int read = read(sink, 0, sink.length);
    return Math.max(read, 0);
  }

  private void inspect(byte[] buffer, int offset, int length) throws IOException {
    total += length;
    if (total > maxBytes) {
      throw new TarLimitException("unpacks to more than " + (maxBytes >> 20) + " MiB; not a host capture");
    }
    int at = offset;
    int end = offset + length;
    while (at < end) {
      if (contentLeft > 0) {
        int skip = (int) Math.min(contentLeft, end - at);
        contentLeft -= skip;
        at += skip;
        continue;
      }
      int take = Math.min(BLOCK - headerFill, end - at);
      System.arraycopy(buffer, at, header, headerFill, take);
      headerFill += take;
      at += take;
      if (headerFill == BLOCK) {
        headerFill = 0;
        onHeader();
      }
    }
  }

  private void onHeader() throws IOException {
    if (isZeroBlock()) {
      return; // end-of-archive marker (two of them), or padding after it
    }
    if (!checksumMatches()) {
      throw new TarLimitException(entries == 0 ? "not a tar archive (its first block is no tar header)"
          : "damaged tar archive: the header of entry " + (entries + 1) + " has a wrong checksum");
    }
    if (++entries > maxEntries) {
      throw new TarLimitException("holds more than " + maxEntries + " entries; not a host capture");
    }
    long size = size();
    byte type = header[156];
    boolean extended = type == 'x' || type == 'g' || type == 'L' || type == 'K';
    if (extended && size > MAX_EXTENDED_HEADER_BYTES) {
      throw new TarLimitException("entry " + entries + " has an extended (PAX or long-name) header of "
          + size + " bytes; paths in a capture need at most " + MAX_EXTENDED_HEADER_BYTES);
    }
    boolean hasContent = type != '1' && type != '2' && type != '3' && type != '4' && type != '5'
        && type != '6';
    contentLeft = hasContent ? (size + BLOCK - 1) / BLOCK * BLOCK : 0;
  }

  private boolean isZeroBlock() {
    for (byte b : header) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  /** The header checksum: the sum of its bytes with the checksum field read as spaces. */
  private boolean checksumMatches() {
    String field = new String(header, 148, 8, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    if (!field.matches("[0-7]{1,7}")) {
      return false;
    }
    long expected = Long.parseLong(field, 8);
    long unsigned = 0;
    long signed = 0;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
      unsigned += b & 0xff;
      signed += b;
    }
    return expected == unsigned || expected == signed;
  }

  /** Octal, or base-256 (high bit of the first byte) for large sizes. */
  private long size() throws IOException {
    if ((header[124] & 0x80) != 0) {
      long value = 0;
      for (int i = 125; i < 136; i++) {
        if (value > (Long.MAX_VALUE >> 8)) {
          return Long.MAX_VALUE;
        }
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    String field = new String(header, 124, 12, StandardCharsets.US_ASCII).replace('\0', ' ').trim();
    if (field.isEmpty()) {
      return 0;
    }
    if (!field.matches("[0-7]{1,12}")) {
      throw new TarLimitException("damaged tar archive: entry " + entries + " has the size '"
          + Printable.escape(field) + "'");
    }
    return Long.parseLong(field, 8);
  }

  /** An archive refused by a limit or as no tar at all; the message says which. */
  static final class TarLimitException extends IOException {
    TarLimitException(String message) {
      super(message);
    }
  }
}

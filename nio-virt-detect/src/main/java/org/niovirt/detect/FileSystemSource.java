package org.niovirt.detect;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A host tree on disk: {@code /} itself or an unpacked capture. */
final class FileSystemSource extends PathTreeSource {
  /** Reused across a thread's reads (a scan reads thousands of files); grows up to a file's cap. */
  private final ThreadLocal<ByteBuffer> buffers = ThreadLocal.withInitial(() -> ByteBuffer.allocate(8192));

  FileSystemSource(Path root) {
    super(root);
  }

  @Override
  public byte[] read(String path) throws IOException {
    int limit = ReadLimits.maxBytes(path);
    boolean shortReadIsEnd = path.startsWith("sys/");
    // A channel read into a reused buffer: open, read until EOF, close, nothing else (readNBytes
    // and FileInputStream add fstat or lseek per file; a scan reads tens of thousands). The path is
    // link-free here: RootedTree resolved it and checked that it is a regular file.
    try (SeekableByteChannel in = Files.newByteChannel(at(path), LinkOption.NOFOLLOW_LINKS)) {
      ByteBuffer buffer = buffers.get();
      buffer.clear();
      while (true) {
        if (!buffer.hasRemaining()) {
          if (buffer.capacity() > limit) {
            throw new IOException(ReadLimits.tooLarge(limit));
          }
          ByteBuffer larger = ByteBuffer.allocate(Math.min(buffer.capacity() * 2, limit + 1));
          buffer.flip();
          buffer = larger.put(buffer);
          buffers.set(buffer);
        }
        int wanted = buffer.remaining();
        int got = in.read(buffer);
        // A sysfs attribute comes whole from one read (one show() call); a read that leaves
        // room is the end there, and the usual read of 0 bytes is saved on every attribute.
        if (got < 0 || (shortReadIsEnd && got > 0 && got < wanted)) {
          byte[] content = new byte[buffer.position()];
          buffer.flip().get(content);
          return content;
        }
      }
    }
  }

  /**
   * java.io's listing: opendir, getdents until done, closedir (five system calls); NIO's directory
   * stream adds a dup and fcntl calls for its secure-stream support. On failure NIO lists again,
   * only to say why (missing, not a directory, no permission) as java.io cannot.
   */
  @Override
  public List<String> list(String path) throws IOException {
    String[] listed = at(path).toFile().list();
    List<String> names = new ArrayList<>();
    if (listed == null) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(at(path))) {
        for (Path entry : entries) {
          names.add(entry.getFileName().toString());
        }
      }
    } else {
      Collections.addAll(names, listed);
    }
    Collections.sort(names);
    return names;
  }
}

package org.niovirt.remote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.niovirt.detect.EntryKind;
import org.niovirt.detect.TreeSource;

/**
 * A remote host's root as a {@link TreeSource}: {@code lstat}, {@code readlink}, {@code readdir}
 * and reads over one SFTP channel, which carries the detector's parallel requests at once. The
 * detector resolves links itself, inside the root, exactly as for a local tree. The one file sysfs
 * lacks, what {@code ip -j link show} reports, comes from that command on the remote host.
 */
final class SftpTreeSource implements TreeSource {
  private static final int CHUNK = 32 << 10;

  private final ClientSession session;
  private final SftpClient sftp;

  SftpTreeSource(ClientSession session, SftpClient sftp) {
    this.session = session;
    this.sftp = sftp;
  }

  private static String remote(String path) {
    return "/" + path;
  }

  @Override
  public EntryKind kind(String path) throws IOException {
    if (path.equals(IP_LINK_DIRECTORY)) {
      return EntryKind.DIRECTORY;
    }
    if (path.equals(IP_LINK_PATH)) {
      return EntryKind.FILE;
    }
    SftpClient.Attributes attributes;
    try {
      attributes = sftp.lstat(remote(path));
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
        return EntryKind.MISSING;
      }
      throw e;
    }
    return EntryKind.of(attributes.isSymbolicLink(), attributes.isDirectory(), attributes.isRegularFile());
  }

  @Override
  public String readLink(String path) throws IOException {
    return sftp.readLink(remote(path));
  }

  @Override
  public byte[] read(String path) throws IOException {
    if (path.equals(IP_LINK_PATH)) {
      // A fixed command: nothing in it comes from input. Absent iproute2 shows as a failed read.
      return session.executeRemoteCommand(String.join(" ", IP_LINK_COMMAND)).getBytes(StandardCharsets.UTF_8);
    }
    int limit = TreeSource.maxBytes(path);
    // sysfs returns a whole attribute in one read; a shorter answer is its end (one round trip
    // saved per file, thousands per scan). Elsewhere read until the server says EOF.
    boolean shortReadIsEnd = path.startsWith("sys/");
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    byte[] buffer = new byte[CHUNK];
    try (SftpClient.CloseableHandle handle = sftp.open(remote(path), SftpClient.OpenMode.Read)) {
      long offset = 0;
      while (true) {
        int count = sftp.read(handle, offset, buffer, 0, buffer.length);
        if (count < 0) {
          break;
        }
        content.write(buffer, 0, count);
        offset += count;
        if (offset > limit) {
          throw new IOException("larger than " + limit + " bytes, so not a real kernel file: not read");
        }
        if (shortReadIsEnd && count < buffer.length) {
          break;
        }
      }
    }
    return content.toByteArray();
  }

  @Override
  public List<String> list(String path) throws IOException {
    if (path.equals(IP_LINK_DIRECTORY)) {
      return List.of("ip-link.json");
    }
    List<String> names = new ArrayList<>();
    for (SftpClient.DirEntry entry : sftp.readDir(remote(path))) {
      String name = entry.getFilename();
      if (!name.equals(".") && !name.equals("..")) {
        names.add(name);
      }
    }
    Collections.sort(names);
    return names;
  }
}

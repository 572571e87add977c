package org.niovirt.remote;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.fs.SftpFileSystemProvider;
import org.niovirt.api.model.HostInventory;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * Everything a launch needs on a host reached over SSH, on one SSH session: its hardware (the
 * detector over SFTP), its file system (sysfs writes for VFs, the launch journal in
 * {@code /var/lib/nio-virt} there), {@code ip link} there, and its launch lock held there. Open it,
 * {@link #configure} the {@link org.niovirt.libvirt.LibvirtHost}'s options with it, and the host
 * closes it with itself. Nothing is installed on the remote host: sshd with SFTP, {@code ip} and
 * {@code flock} (util-linux) are all it needs.
 */
public final class RemoteHostAccess implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private final SshDestination destination;
  private final SshClient client;
  private final ClientSession session;
  /** The remote root as a file system, opened on first use: an inventory needs none. */
  private FileSystem files;

  private RemoteHostAccess(SshDestination destination, SshClient client, ClientSession session) {
    this.destination = destination;
    this.client = client;
    this.session = session;
  }

  /** Connects and authenticates (OpenSSH's conventions, host key checked: see RemoteInventory). */
  public static RemoteHostAccess open(SshDestination destination) {
    Objects.requireNonNull(destination, "destination");
    SshClient client = RemoteInventory.client(destination);
    ClientSession session = null;
    try {
      client.start();
      session = client.connect(destination.user().orElse(System.getProperty("user.name")),
          destination.host(), destination.port().orElse(22)).verify(TIMEOUT).getSession();
      session.auth().verify(TIMEOUT);
      return new RemoteHostAccess(destination, client, session);
    } catch (IOException | RuntimeException e) {
      closeQuietly(session);
      closeQuietly(client);
      throw new RemoteInventory.RemoteHostException(destination, e);
    }
  }

  public SshDestination destination() {
    return destination;
  }

  /** The remote host's root, for host preparation and the journal. */
  public synchronized Path root() {
    if (files == null) {
      try {
        files = new SftpFileSystemProvider(client).newFileSystem(session);
      } catch (IOException e) {
        throw new RemoteInventory.RemoteHostException(destination, e);
      }
    }
    return files.getPath("/");
  }

  /** The remote host's inventory, read over this session. */
  public HostInventory inventory() {
    try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
      return HostDetector.forTree(new SftpTreeSource(session, sftp), destination.describe()).detect();
    } catch (IOException e) {
      throw new RemoteInventory.RemoteHostException(destination, e);
    }
  }

  /**
   * {@code options} with the remote root (sysfs writes), the journal and lock file there, the lock
   * taken there, {@code ip link} there, and this access closed with the host.
   */
  public LibvirtHostOptions configure(LibvirtHostOptions options) {
    Path lockFile = root().resolve(LibvirtHostOptions.DEFAULT_LOCK_FILE.toString().substring(1));
    return org.niovirt.libvirt.ImmutableLibvirtHostOptions.copyOf(options)
        .withHostRoot(root())
        .withStateDirectory(root().resolve("var/lib/nio-virt"))
        .withLockFile(lockFile)
        .withLaunchLock(new RemoteLaunchLock(session, destination.describe(), lockFile,
            options.lockTimeout(), options.lockWaitNotice()))
        .withLinkControl(new SshLinkControl(session, destination.describe()))
        .withResources(this);
  }

  @Override
  public synchronized void close() {
    closeQuietly(files);
    closeQuietly(session);
    closeQuietly(client);
  }

  private static void closeQuietly(AutoCloseable resource) {
    if (resource != null) {
      try {
        resource.close();
      } catch (Exception ignored) {
        // Closing: the session is gone either way.
      }
    }
  }

  @Override
  public String toString() {
    return "SSH access to " + destination.describe();
  }
}

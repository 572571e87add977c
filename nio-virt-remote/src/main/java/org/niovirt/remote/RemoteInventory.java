package org.niovirt.remote;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.DefaultConfigFileHostEntryResolver;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.api.model.HostInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inventory of another host, read over SSH by the same detector as a local scan: the remote
 * root is served over SFTP, so the facts are the same (interrupt remapping, IOMMU groups and their
 * viability, the management NIC, VFs and what their PFs set on them). Nothing is installed there:
 * its sshd's SFTP subsystem and {@code ip} are all it needs. Host keys are checked against
 * known_hosts (the URI's {@code known_hosts}, else {@code ~/.ssh/known_hosts}); an unknown or
 * changed key is refused, unless the URI says {@code no_verify=1}, which is logged.
 */
public final class RemoteInventory {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteInventory.class);
  private static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  private RemoteInventory() {}

  /** Connects, scans the remote root and disconnects. */
  public static HostInventory detect(SshDestination destination) {
    try (RemoteHostAccess access = RemoteHostAccess.open(destination)) {
      return access.inventory();
    }
  }

  static SshClient client(SshDestination destination) {
    SshClient client = SshClient.setUpDefaultClient();
    client.setHostConfigEntryResolver(DefaultConfigFileHostEntryResolver.INSTANCE);
    Path home = Path.of(System.getProperty("user.home"), ".ssh");
    if (destination.verifyHostKey()) {
      Path knownHosts = destination.knownHosts().orElse(home.resolve("known_hosts"));
      client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
    } else {
      LOG.warn("{}: host key NOT checked (the URI says no_verify=1)", destination.describe());
      client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
    }
    List<Path> identities = new ArrayList<>();
    destination.keyFile().ifPresent(identities::add);
    if (identities.isEmpty()) {
      DEFAULT_IDENTITIES.stream().map(home::resolve).filter(Files::isReadable).forEach(identities::add);
    }
    client.setKeyIdentityProvider(new FileKeyPairProvider(identities));
    return client;
  }

  /** Reaching or reading a remote host failed: names the host and what happened. */
  public static final class RemoteHostException extends NioVirtException {
    private static final long serialVersionUID = 1L;
    private final String host;

    RemoteHostException(SshDestination destination, Throwable cause) {
      super("cannot read the hardware of " + destination.describe() + ": " + reason(cause), cause);
      this.host = destination.describe();
    }

    public String host() {
      return host;
    }

    private static String reason(Throwable cause) {
      Throwable root = cause;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      // A refused or timed-out connection says it best at its root; SSH failures at the top.
      Throwable telling = root instanceof java.net.SocketException ? root : cause;
      String message = telling.getMessage() == null ? telling.getClass().getSimpleName() : telling.getMessage();
      if (message.contains("Server key did not validate") || cause instanceof GeneralSecurityException) {
        return message + " (its host key is not in known_hosts or changed: connect once with ssh to"
            + " check and accept it)";
      }
      return message;
    }
  }
}

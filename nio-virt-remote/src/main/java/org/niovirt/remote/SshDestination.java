package org.niovirt.remote;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.niovirt.api.error.InvalidInputException;

/**
 * Where a remote host's files are read over SSH: taken from the libvirt URI that reaches its
 * libvirtd ({@code qemu+ssh://root@host:2222/system?keyfile=/path}), so the inventory and the
 * guests come from the same machine. Host, port, user and key follow OpenSSH's conventions: what
 * the URI leaves out comes from {@code ~/.ssh/config}, then the defaults (port 22, this user).
 *
 * @param user the login name, when the URI gives one
 * @param host the host name or address, as the URI gives it ({@code ~/.ssh/config} may map it)
 * @param port the port, when the URI gives one
 * @param keyFile libvirt's {@code keyfile} parameter: the identity to use
 * @param knownHosts libvirt's {@code known_hosts} parameter: the file to check the host key in
 * @param verifyHostKey false only when the URI says {@code no_verify=1}, as libvirt does (logged)
 */
public record SshDestination(Optional<String> user, String host, Optional<Integer> port,
    Optional<Path> keyFile, Optional<Path> knownHosts, boolean verifyHostKey) {
  /** libvirt transports that run over SSH. */
  private static final Set<String> SSH_TRANSPORTS = Set.of("ssh", "libssh", "libssh2");

  /** Whether a libvirt URI reaches its host over SSH ({@code qemu+ssh://...}). */
  public static boolean isSsh(String libvirtUri) {
    return fromLibvirtUri(libvirtUri).isPresent();
  }

  /** The SSH destination of a libvirt URI; empty for local and non-SSH URIs. */
  public static Optional<SshDestination> fromLibvirtUri(String libvirtUri) {
    if (libvirtUri == null) {
      return Optional.empty();
    }
    URI uri;
    try {
      uri = new URI(libvirtUri);
    } catch (URISyntaxException e) {
      throw new InvalidInputException("uri", libvirtUri, "not a URI (" + e.getReason() + ")");
    }
    String scheme = Optional.ofNullable(uri.getScheme()).orElse("").toLowerCase(Locale.ROOT);
    int plus = scheme.indexOf('+');
    if (plus < 0 || !SSH_TRANSPORTS.contains(scheme.substring(plus + 1))) {
      return Optional.empty();
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new InvalidInputException("uri", libvirtUri, "an SSH transport needs a host, e.g."
          + " qemu+ssh://root@host/system");
    }
    Optional<Path> keyFile = Optional.empty();
    Optional<Path> knownHosts = Optional.empty();
    boolean verify = true;
    for (String parameter : Optional.ofNullable(uri.getRawQuery()).orElse("").split("&")) {
      int equals = parameter.indexOf('=');
      if (parameter.isEmpty() || equals < 0) {
        continue;
      }
      String name = parameter.substring(0, equals);
      String value = URLDecoder.decode(parameter.substring(equals + 1), StandardCharsets.UTF_8);
      switch (name) {
        case "keyfile" -> keyFile = Optional.of(Path.of(value));
        case "known_hosts" -> knownHosts = Optional.of(Path.of(value));
        case "no_verify" -> verify = value.equals("0");
        default -> { } // libvirt's other parameters (socket, command, mode, ...) are libvirt's
      }
    }
    return Optional.of(new SshDestination(Optional.ofNullable(uri.getUserInfo()), uri.getHost(),
        uri.getPort() < 0 ? Optional.empty() : Optional.of(uri.getPort()), keyFile, knownHosts, verify));
  }

  /** {@code ssh://root@host:2222}, for messages and the inventory's source. */
  public String describe() {
    return "ssh://" + user.map(u -> u + "@").orElse("") + host + port.map(p -> ":" + p).orElse("");
  }
}

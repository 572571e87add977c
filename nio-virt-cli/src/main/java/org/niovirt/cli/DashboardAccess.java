package org.niovirt.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;

/**
 * Who may reach the dashboard and with what: the bind address (an address of this machine), the
 * actions' token (from the command line, a file or the environment, never blank or short), and the
 * image directories the page may name. Checked before anything listens.
 */
final class DashboardAccess {
  static final String TOKEN_ENV = "NIOVIRT_DASHBOARD_TOKEN";
  private static final int MIN_TOKEN_LENGTH = 16;
  private static final Pattern ADDRESS_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private final boolean actions;
  private final InetAddress bind;

  DashboardAccess(boolean actions, String bindAddress) {
    this.actions = actions;
    this.bind = bindAddress(bindAddress);
  }

  /** The address must be a literal of this machine (or the wildcard): no name lookup, no guess. */
  private static InetAddress bindAddress(String text) {
    if (text == null || !ADDRESS_LITERAL.matcher(text).matches()) {
      throw new InvalidInputException("--bind", text, "an IP address of this machine such as"
          + " 127.0.0.1, ::1 or 0.0.0.0 (all addresses)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(text); // a literal: no DNS
    } catch (UnknownHostException e) {
      throw new InvalidInputException("--bind", text, "not an IP address");
    }
    try {
      if (!address.isAnyLocalAddress() && !address.isLoopbackAddress()
          && NetworkInterface.getByInetAddress(address) == null) {
        throw new InvalidInputException("--bind", text, "not an address of this machine"
            + " ('ip -brief address' lists them)");
      }
    } catch (SocketException e) {
      throw new InvalidInputException("--bind", text, "cannot check this machine's addresses: " + e.getMessage());
    }
    return address;
  }

  /** The token to use, or null for a random one; refuses one that is blank, short or unreadable. */
  String token(String option, Path file, String environment) {
    int given = (option != null ? 1 : 0) + (file != null ? 1 : 0);
    if (given > 1) {
      throw new InvalidInputException("--token-file", file, "give --token or --token-file, not both");
    }
    String token = option;
    String field = "--token";
    if (file != null) {
      field = "--token-file";
      try {
        List<String> lines = Files.readAllLines(file);
        token = lines.isEmpty() ? "" : lines.get(0).strip();
      } catch (IOException | RuntimeException e) {
        // Never the file's contents: only that it could not be used.
        throw new InvalidInputException("--token-file", file, "cannot be read as a text file");
      }
    } else if (option == null && environment != null && actions) {
      // Only with actions: a token exported for other runs must not break a read-only dashboard.
      field = "$" + TOKEN_ENV;
      token = environment.strip();
    }
    if (token == null) {
      return null;
    }
    if (!actions) {
      throw new InvalidInputException(field, "(given)", "only meaningful with --enable-actions");
    }
    if (token.isBlank()) {
      throw new InvalidInputException(field, "(blank)", "a token of at least " + MIN_TOKEN_LENGTH
          + " characters, or none for a random one");
    }
    if (token.length() < MIN_TOKEN_LENGTH) {
      throw new InvalidInputException(field, "(" + token.length() + " characters)",
          "at least " + MIN_TOKEN_LENGTH + " characters, so that it cannot be guessed");
    }
    return token;
  }

  /** Each directory as its real path, so a symlink inside cannot lead out of it. */
  List<Path> imageDirectories(List<Path> directories) {
    if (!directories.isEmpty() && !actions) {
      throw new InvalidInputException("--allow-images", directories.get(0), "only meaningful with --enable-actions");
    }
    List<Path> real = new ArrayList<>();
    for (Path directory : directories) {
      try {
        Path resolved = directory.toRealPath();
        if (!Files.isDirectory(resolved)) {
          throw new InvalidInputException("--allow-images", directory, "not a directory");
        }
        if (resolved.getNameCount() == 0) {
          throw new InvalidInputException("--allow-images", directory, "the whole file system cannot be allowed");
        }
        real.add(resolved);
      } catch (IOException e) {
        throw new InvalidInputException("--allow-images", directory, "no such directory");
      }
    }
    return real;
  }

  /** Plain HTTP beyond this machine carries the token in clear: say so on stderr. */
  void warnIfExposed(PrintStream err) {
    if (actions && !bind.isLoopbackAddress()) {
      err.println("nio-virt: warning: actions are enabled on " + bind.getHostAddress() + ", which"
          + " other machines can reach over plain HTTP: the token travels in clear. Bind to"
          + " 127.0.0.1 and use an SSH tunnel, or put a TLS proxy in front.");
    }
  }
}

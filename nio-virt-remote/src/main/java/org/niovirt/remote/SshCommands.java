package org.niovirt.remote;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.sshd.client.session.ClientSession;
import org.niovirt.libvirt.HostPreparationException;

/**
 * Runs a command on the remote host. sshd hands a command line to the remote shell, so each
 * argument is first checked against a conservative pattern (interface names, numbers, MACs, paths
 * the code chose) and then single-quoted: no input reaches that shell as syntax.
 */
final class SshCommands {
  private static final Pattern SAFE_ARGUMENT = Pattern.compile("[A-Za-z0-9_.:/@%+=-]+");

  private SshCommands() {}

  /** The command line for {@code arguments}, each quoted; refuses an argument outside the pattern. */
  static String commandLine(List<String> arguments) {
    StringBuilder line = new StringBuilder();
    for (String argument : arguments) {
      if (!SAFE_ARGUMENT.matcher(argument).matches()) {
        throw new IllegalArgumentException("not a safe remote command argument: " + argument);
      }
      line.append(line.length() == 0 ? "" : " ").append('\'').append(argument).append('\'');
    }
    return line.toString();
  }

  /** Runs the command, returns its output; a non-zero exit status is a HostPreparationException. */
  static String run(ClientSession session, String host, List<String> arguments) {
    String line = commandLine(arguments);
    try {
      return session.executeRemoteCommand(line);
    } catch (IOException e) {
      throw new HostPreparationException("on " + host + ": " + String.join(" ", arguments) + " failed: "
          + e.getMessage(), e);
    }
  }
}

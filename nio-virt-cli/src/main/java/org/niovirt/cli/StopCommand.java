package org.niovirt.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.niovirt.api.error.NioVirtException;
import org.niovirt.libvirt.DomainState;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtOperationException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt stop}: a clean shutdown; the definition, and so its devices, stay. */
@Command(name = "stop", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Shut a guest down cleanly; it stays defined.",
    description = "Ask a guest to shut down (ACPI power button) and wait until it is off. The "
        + "domain stays defined and keeps its host devices reserved; 'nio-virt destroy' "
        + "removes it.")
final class StopCommand implements Callable<Integer> {
  private static final Duration POLL = Duration.ofMillis(250);

  @ParentCommand
  NioVirtCli root;

  @Mixin
  ConnectOptions connect;

  @Parameters(paramLabel = "NAME", description = "The domain to stop.")
  String name;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "How long to wait for the guest to power off. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds;

  @Option(names = "--no-wait", description = "Return as soon as the request is sent.")
  boolean noWait;

  @Override
  public Integer call() {
    if (timeoutSeconds < 1) {
      throw new org.niovirt.api.error.InvalidInputException("--timeout", timeoutSeconds, "must be 1 or more");
    }
    Progress progress = root.progress(false);
    PrintStream out = root.terminal().out();
    try (LibvirtHost host = connect.connect(progress)) {
      host.stop(name);
      if (noWait) {
        out.println("Asked " + name + " to shut down; state now: "
            + host.state(name).displayName());
        return ExitCode.OK;
      }
      String outcome = progress.step("Waiting for " + name + " to power off",
          () -> waitUntilOff(host));
      out.println(name + ": " + outcome);
    }
    return ExitCode.OK;
  }

  private String waitUntilOff(LibvirtHost host) {
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (true) {
      DomainState state;
      try {
        state = host.state(name);
      } catch (LibvirtOperationException e) {
        if (e.isNoDomain()) {
          return "shut off (it was transient, so libvirt forgot it)";
        }
        throw e;
      }
      if (!state.active()) {
        return state.displayName() + " (still defined; its host devices stay reserved)";
      }
      if (System.nanoTime() > deadline) {
        throw new NioVirtException(name + " is still " + state.displayName() + " after "
            + timeoutSeconds + "s: the guest ignored the ACPI power button",
            "'nio-virt destroy " + name + "' pulls the plug.", null);
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NioVirtException("interrupted while waiting for " + name + " to power off", e);
      }
    }
  }
}

package org.niovirt.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.niovirt.libvirt.LibvirtHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt destroy}: power off at once and remove the definition, freeing its devices. */
@Command(name = "destroy", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Power a guest off at once and undefine it, freeing its devices.",
    description = "Pull the plug on a guest (no clean shutdown) and undefine it, so that its host "
        + "devices are free again. libvirt gives managed VFs and passed-through functions back "
        + "to the host.")
final class DestroyCommand implements Callable<Integer> {
  @ParentCommand
  NioVirtCli root;

  @Mixin
  ConnectOptions connect;

  @Parameters(paramLabel = "NAME", description = "The domain to destroy.")
  String name;

  @Option(names = "--keep-definition",
      description = "Only power it off; keep it defined (its devices stay reserved).")
  boolean keepDefinition;

  @Override
  public Integer call() {
    Progress progress = root.progress(false);
    PrintStream out = root.terminal().out();
    try (LibvirtHost host = connect.connectToChange(progress)) {
      boolean wasRunning = host.state(name).active();
      if (wasRunning) {
        progress.step("Powering off " + name, () -> host.destroy(name));
      }
      boolean persistent = host.list().stream()
          .anyMatch(g -> g.name().equals(name) && g.persistent());
      if (!keepDefinition && persistent) {
        progress.step("Undefining " + name, () -> host.undefine(name));
      }
      out.println(name + ": " + (wasRunning ? "powered off" : "was not running")
          + (keepDefinition || !persistent ? "" : ", undefined; its host devices are free"));
    }
    return ExitCode.OK;
  }
}

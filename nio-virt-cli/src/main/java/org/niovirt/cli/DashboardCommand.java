package org.niovirt.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.cli.dashboard.DashboardMetrics;
import org.niovirt.cli.dashboard.DashboardServer;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.cli.dashboard.LibvirtDashboardSource;
import org.niovirt.cli.dashboard.LibvirtGuestActions;
import org.niovirt.libvirt.LibvirtHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import org.niovirt.cli.fleet.FleetFile;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code nio-virt dashboard}: the host and its guests, drawn live in a browser. */
@Command(name = "dashboard", mixinStandardHelpOptions = true, sortOptions = false,
    header = "Serve the live web dashboard of NICs and guests.",
    description = "Serve a page that draws the host's cards, ports, VFs and passed-through "
        + "functions, the guests using them and why each NIC got its technology, updated live "
        + "(server-sent events). JSON under /api. Read-only unless --enable-actions; every "
        + "action then needs the token.")
final class DashboardCommand implements Callable<Integer> {
  /** The hardware changes rarely (VFs created by a launch); libvirt's domains often. */
  private static final Duration HARDWARE_REFRESH = Duration.ofSeconds(10);

  @ParentCommand
  NioVirtCli root;

  @Mixin
  HardwareOptions hardware;

  @Mixin
  ConnectOptions connect;

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = DashboardSettings.DEFAULT_BIND,
      description = "Address to listen on. Default: ${DEFAULT-VALUE} (this machine only).")
  String bind;

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + DashboardSettings.DEFAULT_PORT,
      description = "TCP port; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
  int port;

  @Option(names = "--enable-actions",
      description = "Allow launching and stopping guests from the page (POST /api/domains...).")
  boolean enableActions;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "Token the actions require (default: a random one, printed at start). Visible"
          + " to every user in the process list: prefer --token-file or $" + DashboardAccess.TOKEN_ENV + ".")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read the actions' token from the first line of FILE.")
  Path tokenFile;

  @Option(names = "--allow-images", paramLabel = "DIR",
      description = "Let the page's launch action boot disk images and kernels under DIR"
          + " (repeatable). Without it the page can name no host file.")
  List<Path> allowedImages = new ArrayList<>();

  @Option(names = "--allow-host", paramLabel = "NAME",
      description = "Also answer requests for this host name (repeatable). By default only the"
          + " bind address, localhost and IP addresses are answered, which stops DNS rebinding.")
  List<String> allowedHosts = new ArrayList<>();

  @Option(names = "--duration", paramLabel = "SECONDS",
      description = "Serve this long, then exit (default: until Ctrl-C).")
  Integer durationSeconds;

  @Mixin
  FleetOptions fleet;

  @Override
  public Integer call() throws InterruptedException {
    DashboardAccess access = new DashboardAccess(enableActions, bind);
    String givenToken = access.token(token, tokenFile, System.getenv(DashboardAccess.TOKEN_ENV));
    List<Path> imageDirectories = access.imageDirectories(allowedImages);
    access.warnIfExposed(root.terminal().err());
    if (durationSeconds != null && durationSeconds < 1) {
      throw new InvalidInputException("--duration", durationSeconds, "must be 1 or more seconds");
    }
    Progress progress = root.progress(false);
    PrintStream out = root.terminal().out();
    if (fleet.file != null) {
      fleet.requireAlone(connect, hardware, null);
      DashboardMetrics metrics = new DashboardMetrics();
      try (FleetDashboardHosts hosts = FleetDashboardHosts.open(FleetFile.read(fleet.file), enableActions,
          HARDWARE_REFRESH, progress, root.terminal().err(), metrics)) {
        serve(hosts.hosts(), metrics, "fleet " + fleet.file + " (" + hosts.hosts().size() + " hosts)",
            givenToken, imageDirectories, progress, out);
      }
      return ExitCode.OK;
    }
    fleet.requireNoHost();
    try (LibvirtHost host = connect.connect(progress)) {
      // The first read fails early (bad --root) and before anything listens.
      hardware.detect(progress, host, connect);
      DashboardMetrics metrics = new DashboardMetrics();
      LibvirtDashboardSource source = new LibvirtDashboardSource(host,
          metrics.timedDetection(host.uri(), hardware.reader(host, connect)), HARDWARE_REFRESH);
      LibvirtGuestActions actions = enableActions
          ? new LibvirtGuestActions(host, source, NetworkIoPlanner.create()) : null;
      serve(List.of(new DashboardServer.Host("", source, actions)), metrics, "hardware: " + hardware.describe(connect)
          + ", libvirt: " + connect.uri() + (connect.connection().testDriver() ? "  [TEST DRIVER]" : ""),
          givenToken, imageDirectories, progress, out);
    }
    return ExitCode.OK;
  }

  /** Serves the hosts until Ctrl-C or --duration, saying where and how. */
  private void serve(List<DashboardServer.Host> hosts, DashboardMetrics metrics, String what, String givenToken,
      List<Path> imageDirectories, Progress progress, PrintStream out) throws InterruptedException {
    DashboardSettings settings = enableActions
        ? DashboardSettings.readOnly(bind, port)
            .withActions(givenToken != null ? givenToken : DashboardServer.newToken())
            .withAllowedImages(imageDirectories).withAllowedHosts(allowedHosts)
        : DashboardSettings.readOnly(bind, port).withAllowedHosts(allowedHosts);
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch closed = new CountDownLatch(1);
    try (DashboardServer server = progress.step("Starting the dashboard on " + bind,
        () -> DashboardServer.start(settings, hosts, metrics))) {
      // On Ctrl-C, let the main thread close the server (and libvirt) before the JVM ends.
      Thread hook = new Thread(() -> {
        stopped.countDown();
        awaitQuietly(closed);
      }, "nio-virt-dashboard-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      out.println("nio-virt dashboard: " + server.address());
      out.println("  " + what);
      out.println(enableActions
          ? "  actions enabled; token: " + settings.token().orElseThrow()
          : "  read-only (start with --enable-actions to launch and stop guests from the page)");
      out.println(durationSeconds == null ? "  Ctrl-C stops it." : "  serving for " + durationSeconds + " s.");
      out.flush();
      if (durationSeconds == null) {
        stopped.await();
      } else {
        stopped.await(durationSeconds, TimeUnit.SECONDS);
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    } finally {
      closed.countDown();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

package org.niovirt.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code nio-virt}: detect the host's NICs, plan a guest's network I/O, launch it through libvirt,
 * and watch it all on a dashboard. Each subcommand is one class in this package.
 */
@Command(
    name = "nio-virt",
    mixinStandardHelpOptions = true,
    versionProvider = NioVirtCli.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
      "Gives each guest NIC the best network I/O the host allows: SR-IOV VF, VT-d passthrough or "
          + "virtio.",
      "",
      "Without --connect, everything runs on libvirt's in-process test driver (test:///default): "
          + "nothing on this host changes, and guests live only as long as the nio-virt "
          + "process.",
    },
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "Quick start:",
      "  nio-virt launch                  detect, plan, launch on the test driver",
      "  nio-virt launch --sample-host    the same on a made-up SR-IOV host",
      "  nio-virt plan --root CAPTURE.tar.gz --nics 2",
      "  nio-virt dashboard --sample-host --enable-actions",
    })
public final class NioVirtCli implements Runnable {
  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Show stack traces and the SDK's log.")
  boolean verbose;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  /** Streams and terminal detection, injected so tests can drive the CLI in-process. */
  private final Terminal terminal;


  NioVirtCli(Terminal terminal) {
    this.terminal = terminal;
  }

  Terminal terminal() {
    return terminal;
  }

  boolean verbose() {
    return verbose;
  }

  /** Progress on stderr; {@code quiet} for machine output, where only errors may appear. */
  Progress progress(boolean quiet) {
    return new Progress(terminal.err(), terminal.interactive(), quiet);
  }

  @Override
  public void run() {
    // No subcommand: show what there is.
    spec.commandLine().usage(terminal.out());
  }

  /** The commands, in the order the usage lists them. */
  private static final List<Class<?>> COMMANDS = List.of(InventoryCommand.class, PlanCommand.class,
      LaunchCommand.class, ListCommand.class, StopCommand.class, DestroyCommand.class,
      SnapshotCommand.class, DashboardCommand.class, HostCommand.class, ExportCommand.class,
      LintCommand.class, CommandLine.HelpCommand.class);

  /**
   * Only the command being run is modelled (picocli reflects over every option of every command
   * it is given, a fifth of a short run's start-up); all of them when the arguments name none,
   * for the usage and for {@code help}.
   */
  static void addCommands(CommandLine commandLine, String... args) {
    String first = Arrays.stream(args).filter(arg -> !arg.startsWith("-")).findFirst().orElse(null);
    for (Class<?> command : COMMANDS) {
      String name = command.getAnnotation(Command.class).name();
      if (first != null && name.equals(first) && command != CommandLine.HelpCommand.class) {
        commandLine.addSubcommand(command);
        return;
      }
    }
    COMMANDS.forEach(commandLine::addSubcommand);
  }

  /**
   * Every command as {@code --help} shows it, for generators of the man page and the shell
   * completion (picocli's {@code ManPageGenerator} and {@code AutoComplete}), so they never drift
   * from the help.
   */
  public static CommandLine commandModel() {
    return model(new NioVirtCli(new Terminal(System.out, System.err, false)));
  }

  /** The commands {@code args} need (all without args), as both the run and the docs see them. */
  private static CommandLine model(NioVirtCli root, String... args) {
    CommandLine commandLine = new CommandLine(root);
    addCommands(commandLine, args);
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    addExitCodeSection(commandLine);
    return commandLine;
  }

  /** Runs the CLI in this JVM: the entry point of tests and of {@link #main}. */
  public static int execute(Terminal terminal, String... args) {
    NioVirtCli root = new NioVirtCli(terminal);
    CommandLine commandLine = model(root, args);
    commandLine.setOut(new PrintWriter(terminal.out(), true));
    commandLine.setErr(new PrintWriter(terminal.err(), true));
    commandLine.setParameterExceptionHandler(new ErrorReporter(root)::usageError);
    commandLine.setExecutionExceptionHandler(new ErrorReporter(root)::executionError);
    return commandLine.execute(args);
  }

  private static void addExitCodeSection(CommandLine commandLine) {
    CommandLine.Model.UsageMessageSpec usage = commandLine.getCommandSpec().usageMessage();
    String[] footer = usage.footer();
    String[] withCodes = new String[footer.length + ExitCode.HELP_SECTION.length];
    System.arraycopy(footer, 0, withCodes, 0, footer.length);
    System.arraycopy(ExitCode.HELP_SECTION, 0, withCodes, footer.length, ExitCode.HELP_SECTION.length);
    usage.footer(withCodes);
    for (CommandLine sub : commandLine.getSubcommands().values()) {
      if (!(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        addExitCodeSection(sub);
      }
    }
  }

  public static void main(String[] args) {
    List<String> arguments = List.of(args);
    configureLogging(arguments.contains("-v") || arguments.contains("--verbose"));
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    System.exit(execute(new Terminal(out, err, System.console() != null), args));
  }

  /**
   * The SDK logs through SLF4J; a command line shows warnings only, unless --verbose. Set before
   * the first logger exists, so it cannot wait for picocli's parse.
   */
  private static void configureLogging(boolean verbose) {
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "warn");
    setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    // Jetty is chatty even at info.
    setIfAbsent("org.slf4j.simpleLogger.log.org.eclipse.jetty", verbose ? "info" : "warn");
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  /** Where output goes, and whether a person is watching (spinners) or a pipe (plain lines). */
  public static final class Terminal {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean interactive;

    /** {@code out} is wrapped so that control characters reach it escaped; {@code err} as given. */
    public Terminal(PrintStream out, PrintStream err, boolean interactive) {
      this.out = new PrintStream(new EscapingOutputStream(out), true, StandardCharsets.UTF_8);
      this.err = err;
      this.interactive = interactive;
    }

    public PrintStream out() {
      return out;
    }

    public PrintStream err() {
      return err;
    }

    public boolean interactive() {
      return interactive;
    }
  }

  /** The version from the jar manifest (unknown when run from classes). */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = NioVirtCli.class.getPackage().getImplementationVersion();
      return new String[] {"nio-virt " + (version == null ? "(development build)" : version),
          "Java " + System.getProperty("java.version") + " on " + System.getProperty("os.name")};
    }
  }
}

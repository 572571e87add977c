package org.niovirt.examples.dashboard;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.examples.common.GuestOptions;
import org.niovirt.examples.common.GuestPlanning;
import org.niovirt.libvirt.LaunchedGuest;
import org.niovirt.libvirt.LibvirtHost;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Launch and stop from the dashboard, through the same options, planner and launch path as the
 * command line: a launch request's keys are the launcher's option names.
 */
public final class LibvirtGuestActions implements GuestActions {
  private static final Pattern OPTION_NAME = Pattern.compile("[a-z][a-z-]{0,31}");

  private final LibvirtHost host;
  private final LibvirtDashboardSource source;
  private final NetworkIoPlanner planner;

  public LibvirtGuestActions(LibvirtHost host, LibvirtDashboardSource source, NetworkIoPlanner planner) {
    this.host = host;
    this.source = source;
    this.planner = planner;
  }

  @Override
  public String launch(Map<String, Object> options) {
    GuestOptions guest = parse(options);
    DashboardSource.Observation now = source.observe();
    GuestPlanning planning =
        GuestPlanning.of(guest, source.connection(), now.inventory(), now.usage(), planner);
    LaunchedGuest launched = host.launch(planning.spec(), planning.plan());
    source.forgetHardware();
    List<String> nics = new ArrayList<>();
    for (NicAssignment nic : launched.plan().assignments()) {
      nics.add(nic.technology().id() + (nic.devices().isEmpty() ? "" : " " + nic.devices()));
    }
    return "launched " + launched.name() + " (" + String.join(", ", nics) + "), "
        + host.state(launched.name()).name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
  }

  @Override
  public String stop(String name) {
    host.stop(name);
    return "asked " + name + " to shut down";
  }

  /** Parses a request with the launcher's own option parser, so values and errors are the CLI's. */
  static GuestOptions parse(Map<String, Object> options) {
    List<String> args = new ArrayList<>();
    options.forEach((key, value) -> {
      if (!OPTION_NAME.matcher(key).matches()) {
        throw new InvalidInputException("options", key, "keys are option names such as name, nics, pin, vlan");
      }
      String option = "--" + key;
      if (value instanceof Boolean) {
        if ((Boolean) value) {
          args.add(option);
        }
      } else if (value instanceof Collection) {
        for (Object item : (Collection<?>) value) {
          args.add(option);
          args.add(String.valueOf(item));
        }
      } else if (value != null) {
        args.add(option);
        args.add(String.valueOf(value));
      }
    });
    LaunchRequest request = new LaunchRequest();
    try {
      new CommandLine(request).parseArgs(args.toArray(String[]::new));
    } catch (CommandLine.ParameterException e) {
      throw new InvalidInputException("options", String.join(" ", args), e.getMessage());
    }
    return request.guest;
  }

  /** The launch options, as a command picocli can parse. */
  @Command(name = "launch")
  static final class LaunchRequest {
    @Mixin
    GuestOptions guest;
  }
}

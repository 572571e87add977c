package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import java.net.URI;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.text.Printable;
import org.niovirt.detect.InventoryJson;
import org.niovirt.cli.common.FailureKind;
import org.niovirt.cli.common.LaunchValues;

/**
 * The web dashboard: a page that draws the host and its guests, a JSON API under {@code /api}, and
 * server-sent events that push every change. Read-only unless started with actions, and then every
 * action needs the token.
 *
 * <pre>{@code
 * try (DashboardServer server = DashboardServer.start(DashboardSettings.readOnly(), source, null)) {
 *   System.out.println(server.address());
 * }
 * }</pre>
 */
public final class DashboardServer implements AutoCloseable {
  /** Where the page, its script and its style live in the jar: nothing is fetched from elsewhere. */
  static final String WEB_ROOT = "/org/niovirt/cli/dashboard/web";

  private final Javalin app;
  /** Each host's live view and actions, by name; the first is shown when a request names none. */
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final ObjectMapper mapper = new ObjectMapper();
  private final DashboardSettings settings;
  private final DashboardMetrics metrics;

  /** One host of the dashboard: its name (empty for a single-host dashboard), source and actions. */
  public record Host(String name, DashboardSource source, GuestActions actions) {}

  private record Member(String name, DashboardSource source, LiveView live, GuestActions actions) {}

  private DashboardServer(DashboardSettings settings, List<Host> hosts, DashboardMetrics metrics) {
    this.settings = settings;
    this.metrics = metrics;
    for (Host host : hosts) {
      GuestActions actions = host.actions() == null ? null
          : metrics.metered(metricsName(host.name(), host.source()), host.actions());
      if (members.put(host.name(), new Member(host.name(), host.source(),
          new LiveView(host.source(), settings.actionsEnabled(), mapper), actions)) != null) {
        throw new IllegalArgumentException("two hosts named '" + host.name() + "'");
      }
    }
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = WEB_ROOT;
        files.location = Location.CLASSPATH;
      });
    });
    // Before everything, static files included: a page on another name (DNS rebinding) gets nothing.
    app.before(this::checkHost);
    // Every API call takes ?host=NAME on a fleet's dashboard; without it, the first host.
    app.get("/api/hosts", this::hosts);
    app.get("/api/view", ctx -> json(ctx, member(ctx).live().current()));
    app.get("/api/inventory", ctx -> json(ctx, InventoryJson.toJson(member(ctx).live().lastObservation().inventory())));
    app.get("/api/usage", ctx -> json(ctx, usage(member(ctx).live().lastObservation())));
    app.get("/api/domains", ctx -> json(ctx, member(ctx).live().current().get("domains")));
    app.sse("/api/events", client -> member(client.ctx()).live().subscribe(client));
    app.get("/metrics", this::metrics);
    app.post("/api/domains", this::launch);
    app.post("/api/domains/{name}/stop", this::stop);
    app.exception(Exception.class, (e, ctx) -> failure(ctx, e));
  }

  /**
   * Starts serving. {@code actions} may be null when {@link DashboardSettings#actionsEnabled()} is
   * false; the first look at the host happens before this returns, so a broken source fails here.
   */
  public static DashboardServer start(
      DashboardSettings settings, DashboardSource source, GuestActions actions) {
    return start(settings, List.of(new Host("", source, actions)));
  }

  /** A fleet's dashboard: one page with a host selector, every host live as a single one. */
  public static DashboardServer start(DashboardSettings settings, List<Host> hosts) {
    return start(settings, hosts, new DashboardMetrics());
  }

  /** As above, counting into {@code metrics} (which may already time the hosts' detection). */
  public static DashboardServer start(DashboardSettings settings, List<Host> hosts, DashboardMetrics metrics) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("a dashboard needs at least one host");
    }
    if (settings.actionsEnabled() && hosts.stream().anyMatch(h -> h.actions() == null)) {
      throw new IllegalArgumentException("actions are enabled but a host has no GuestActions");
    }
    DashboardServer server = new DashboardServer(settings, hosts, metrics);
    server.members.values().forEach(m -> m.live().start(settings.pollInterval()));
    server.app.start(settings.bindAddress(), settings.port());
    return server;
  }

  /** The host a request names ({@code ?host=}), else the first. */
  private Member member(Context ctx) {
    String name = ctx.queryParam("host");
    if (name == null) {
      return members.values().iterator().next();
    }
    Member member = members.get(name);
    if (member == null) {
      throw new ActionRefused(HttpStatus.NOT_FOUND, "no host '" + Printable.escape(
          LaunchRequestReader.abbreviate(name)) + "' on this dashboard", "GET /api/hosts lists them");
    }
    return member;
  }

  /** Prometheus' text format, version 0.0.4 (what every Prometheus server scrapes). */
  private void metrics(Context ctx) {
    Map<String, DashboardSource.Observation> observations = new LinkedHashMap<>();
    members.values().forEach(m -> observations.put(metricsName(m.name(), m.source()), m.live().lastObservation()));
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape(observations));
  }

  /** A host's {@code host} label: its fleet name, or on a single-host dashboard its libvirt URI. */
  static String metricsName(String name, DashboardSource source) {
    return name.isEmpty() ? source.connection().uri() : name;
  }

  private void hosts(Context ctx) {
    ArrayNode list = mapper.createArrayNode();
    members.values().forEach(m -> list.addObject().put("name", m.name()).put("uri", m.source().connection().uri()));
    json(ctx, list);
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8470/}. */
  public URI address() {
    String host = settings.bindAddress().contains(":") ? "[" + settings.bindAddress() + "]"
        : settings.bindAddress();
    return URI.create("http://" + host + ":" + app.port() + "/");
  }

  public int port() {
    return app.port();
  }

  /** Re-reads every host at once instead of waiting for the next poll (after an action). */
  public void refreshNow() {
    members.values().forEach(m -> m.live().refresh());
  }

  int subscribers() {
    return members.values().stream().mapToInt(m -> m.live().subscribers()).sum();
  }

  private void launch(Context ctx) {
    authorize(ctx);
    Member member = member(ctx);
    LaunchValues values = new LaunchRequestReader(mapper, settings.allowedImageDirectories()).read(ctx.body());
    String message = member.actions().launch(values);
    member.live().refresh();
    json(ctx, mapper.createObjectNode().put("message", message));
  }

  private void stop(Context ctx) {
    authorize(ctx);
    Member member = member(ctx);
    String message = member.actions().stop(ctx.pathParam("name"));
    member.live().refresh();
    json(ctx, mapper.createObjectNode().put("message", message));
  }

  /**
   * Answers only to the names it is known by: its bind address, {@code localhost}, any address
   * literal (a browser sends those only when the user typed them), and names given with
   * {@code --allow-host}. A rebinding attack's page sends its own name and is refused.
   */
  private void checkHost(Context ctx) {
    String header = Optional.ofNullable(ctx.header("Host")).orElse("");
    String name = HostNames.withoutPort(header);
    if (HostNames.isAddressLiteral(name) || name.equalsIgnoreCase("localhost")
        || name.equalsIgnoreCase(settings.bindAddress())
        || settings.allowedHosts().stream().anyMatch(name::equalsIgnoreCase)) {
      return;
    }
    throw new ActionRefused(HttpStatus.MISDIRECTED_REQUEST, "the Host '"
        + Printable.escape(LaunchRequestReader.abbreviate(header)) + "' is not a name of this dashboard",
        "open it by its address (" + address() + "), or start it with --allow-host NAME");
  }

  /** Actions exist only when enabled, and each request must carry the token. */
  private void authorize(Context ctx) {
    if (!settings.actionsEnabled()) {
      throw new ActionRefused(HttpStatus.FORBIDDEN, "actions are disabled: this dashboard is read-only",
          "start it with: nio-virt dashboard --enable-actions");
    }
    String header = Optional.ofNullable(ctx.header("Authorization")).orElse("");
    String given = header.startsWith("Bearer ") ? header.substring("Bearer ".length()).trim() : "";
    byte[] expected = settings.token().orElseThrow().getBytes(StandardCharsets.UTF_8);
    // Constant-time comparison: response timing must not reveal how much of a guess was right.
    if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
      throw new ActionRefused(HttpStatus.UNAUTHORIZED, "missing or wrong token",
          "send the token printed when the dashboard started as 'Authorization: Bearer TOKEN'");
    }
  }

  private static ObjectNode usage(DashboardSource.Observation observation) {
    ObjectNode node = new ObjectMapper().createObjectNode();
    Map<String, List<PciAddress>> byDomain = new TreeMap<>();
    ObjectNode byDevice = node.putObject("byDevice");
    new TreeMap<>(observation.usage().holders()).forEach((device, domain) -> {
      byDevice.put(device.toString(), domain);
      byDomain.computeIfAbsent(domain, d -> new ArrayList<>()).add(device);
    });
    ObjectNode domains = node.putObject("byDomain");
    byDomain.forEach((domain, devices) -> {
      ArrayNode list = domains.putArray(domain);
      devices.forEach(d -> list.add(d.toString()));
    });
    return node;
  }

  private static void json(Context ctx, Object node) {
    ctx.contentType("application/json").result(node.toString());
  }

  private void failure(Context ctx, Exception e) {
    ObjectNode body = mapper.createObjectNode();
    if (e instanceof ActionRefused refused) {
      ctx.status(refused.status);
      body.put("error", refused.getMessage()).put("hint", refused.hint);
    } else {
      FailureKind kind = FailureKind.of(e);
      ctx.status(kind.httpStatus());
      body.put("error", kind.message(e)).put("hint", kind.hint(e));
    }
    json(ctx, body);
  }

  @Override
  public void close() {
    members.values().forEach(m -> m.live().close());
    app.stop();
  }

  /** A refused request, with its status and what the caller can do. */
  private static final class ActionRefused extends RuntimeException {
    private final HttpStatus status;
    private final String hint;

    ActionRefused(HttpStatus status, String message, String hint) {
      super(message);
      this.status = status;
      this.hint = hint;
    }
  }

  /** A random token for the actions: 128 bits, hex. */
  public static String newToken() {
    byte[] bytes = new byte[16];
    new SecureRandom().nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /** How the dashboard is served. */
  public record DashboardSettings(String bindAddress, int port, Duration pollInterval,
      boolean actionsEnabled, Optional<String> token, List<Path> allowedImageDirectories,
      List<String> allowedHosts) {
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8470;

    public DashboardSettings {
      if (actionsEnabled && token.filter(t -> !t.isBlank()).isEmpty()) {
        throw new InvalidInputException("--token", "(blank)", "actions need a token that is not blank");
      }
      allowedImageDirectories = List.copyOf(allowedImageDirectories);
      allowedHosts = List.copyOf(allowedHosts);
      if (port < 0 || port > 65535) {
        throw new InvalidInputException("--port", port, "must be 0 to 65535 (0: any free port)");
      }
    }

    /**
     * Domain events drive the page; the periodic look ({@code pollInterval}, 5 s by default) only
     * catches what an event could have missed.
     */
    public static DashboardSettings readOnly(String bindAddress, int port) {
      return new DashboardSettings(bindAddress, port, Duration.ofSeconds(5), false, Optional.empty(),
          List.of(), List.of());
    }

    public DashboardSettings withActions(String token) {
      return new DashboardSettings(bindAddress, port, pollInterval, true, Optional.of(token),
          allowedImageDirectories, allowedHosts);
    }

    public DashboardSettings withPollInterval(Duration interval) {
      return new DashboardSettings(bindAddress, port, interval, actionsEnabled, token,
          allowedImageDirectories, allowedHosts);
    }

    /** Directories (real paths) whose files the launch action may boot; none by default. */
    public DashboardSettings withAllowedImages(List<Path> directories) {
      return new DashboardSettings(bindAddress, port, pollInterval, actionsEnabled, token,
          directories, allowedHosts);
    }

    /** Host names besides the bind address, localhost and address literals that the page may be opened by. */
    public DashboardSettings withAllowedHosts(List<String> names) {
      return new DashboardSettings(bindAddress, port, pollInterval, actionsEnabled, token,
          allowedImageDirectories, names);
    }
  }
}

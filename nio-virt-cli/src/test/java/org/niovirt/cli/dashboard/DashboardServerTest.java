package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.detect.HostDetector;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.libvirt.GuestSummary;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * The dashboard's HTTP side over a real server, libvirt's test driver and the captured d1 host
 * (one SR-IOV PF with two VFs, a dual-port card in one IOMMU group): the JSON API, the actions and
 * their token, and the server-sent events.
 */
class DashboardServerTest {
  private static final String TOKEN = "test-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  static Path temp;

  private static LibvirtHost host;
  private static DashboardServer withActions;
  private static DashboardServer readOnly;
  private static HostDetector d1;

  @BeforeAll
  static void start() {
    host = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
        .lockFile(temp.resolve("lock")).stateDirectory(temp.resolve("state")).kvmKnownToWork(false).build());
    d1 = HostDetector.forSnapshot(Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz"));
    LibvirtDashboardSource source = new LibvirtDashboardSource(host, d1::detect, Duration.ofSeconds(30));
    withActions = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0)
            .withActions(TOKEN).withPollInterval(Duration.ofMillis(200)),
        source, new LibvirtGuestActions(host, source, NetworkIoPlanner.create()));
    readOnly = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0),
        new LibvirtDashboardSource(host, d1::detect, Duration.ofSeconds(30)), null);
  }

  @AfterAll
  static void stop() {
    TestGuests.removeAll(host, "api-");
    withActions.close();
    readOnly.close();
    host.close();
  }

  @Test
  void servesThePageAndItsAssetsFromTheJarWithNothingFromElsewhere() throws Exception {
    for (String path : List.of("/", "/dashboard.js", "/dashboard.css")) {
      HttpResponse<String> response = get(withActions, path);
      assertThat(response.statusCode()).as(path).isEqualTo(200);
      // Offline by construction: no script, style, font or image from another host.
      assertThat(response.body()).as(path)
          .doesNotContainPattern("(src|href)=\"https?:")
          .doesNotContainPattern("url\\(\\s*['\"]?https?:")
          .doesNotContainPattern("fetch\\(['\"]https?:")
          .doesNotContain("@import");
    }
    assertThat(get(withActions, "/").body()).contains("<script src=\"/dashboard.js\">");
  }

  @Test
  void viewJoinsTheInventoryWithTheLedger() throws Exception {
    JsonNode view = json(get(withActions, "/api/view"));

    assertThat(view.path("cards")).hasSize(3);
    assertThat(view.path("iommu").path("enabled").asBoolean()).isTrue();
    assertThat(view.path("iommu").path("interruptRemapping").asText()).isEqualTo("YES");
    assertThat(view.path("connection").path("testDriver").asBoolean()).isTrue();
    assertThat(view.path("connection").path("note").asText()).contains("Test driver");
    JsonNode pf = view.path("cards").findValues("ports").stream().flatMap(p -> stream(p))
        .filter(p -> p.path("address").asText().equals("0000:01:00.0")).findFirst().orElseThrow();
    assertThat(pf.path("sriov").path("totalVfs").asInt()).isEqualTo(7);
    // Two VFs exist; five more can be created: all seven are drawn.
    assertThat(pf.path("sriov").path("vfs")).hasSize(7);
    assertThat(pf.path("sriov").path("vfs").get(2).path("exists").asBoolean()).isFalse();
    assertThat(view.path("generation").asLong()).isPositive();
    assertThat(json(get(withActions, "/api/inventory")).path("schemaVersion").asInt()).isEqualTo(1);
  }

  @Test
  void launchNeedsTheTokenAndThenShowsTheGuestItsVfAndWhy() throws Exception {
    assertThat(post(withActions, "/api/domains", "{\"name\":\"api-1\"}", null).statusCode()).isEqualTo(401);
    assertThat(post(withActions, "/api/domains", "{\"name\":\"api-1\"}", "wrong-token-0123456789").statusCode())
        .isEqualTo(401);

    HttpResponse<String> launched =
        post(withActions, "/api/domains", "{\"name\":\"api-1\",\"nics\":1,\"pin\":\"sriov\",\"vlan\":7}", TOKEN);

    assertThat(launched.statusCode()).as(launched.body()).isEqualTo(200);
    assertThat(json(launched).path("message").asText()).contains("launched api-1", "sriov", "running");
    JsonNode usage = json(get(withActions, "/api/usage"));
    String vf = usage.path("byDomain").path("api-1").get(0).asText();
    assertThat(vf).isIn("0000:01:10.0", "0000:01:10.2");
    assertThat(usage.path("byDevice").path(vf).asText()).isEqualTo("api-1");
    JsonNode guest = stream(json(get(withActions, "/api/domains")))
        .filter(d -> d.path("name").asText().equals("api-1")).findFirst().orElseThrow();
    JsonNode nic = guest.path("nics").get(0);
    assertThat(nic.path("technology").asText()).isEqualTo("sriov");
    assertThat(nic.path("devices").get(0).asText()).isEqualTo(vf);
    assertThat(nic.path("reason").asText()).contains(vf, "VLAN 7");
    assertThat(nic.path("verdicts")).hasSize(3);
    // A source that launched nothing reads the same reasons from libvirt's XML.
    GuestView seenElsewhere = new LibvirtDashboardSource(host, d1::detect, Duration.ofSeconds(30))
        .observe().guests().stream().filter(g -> g.name().equals("api-1")).findFirst().orElseThrow();
    assertThat(seenElsewhere.nics().get(0).reason()).contains(nic.path("reason").asText());
    assertThat(seenElsewhere.nics().get(0).verdicts()).hasSize(3);

    HttpResponse<String> stopped = post(withActions, "/api/domains/api-1/stop", "", TOKEN);
    assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
    JsonNode after = stream(json(get(withActions, "/api/domains")))
        .filter(d -> d.path("name").asText().equals("api-1")).findFirst().orElseThrow();
    assertThat(after.path("state").asText()).isEqualTo("shutoff");
  }

  @Test
  void aDomainNioVirtDidNotDefineHasNoReasons() throws Exception {
    // test:///default starts with the domain "test", defined by libvirt itself without our metadata.
    JsonNode other = stream(json(get(readOnly, "/api/domains")))
        .filter(d -> d.path("name").asText().equals("test")).findFirst().orElseThrow();

    assertThat(other.path("nics")).isNotEmpty();
    other.path("nics").forEach(n -> {
      assertThat(n.has("reason") && !n.path("reason").isNull()).as(n.toString()).isFalse();
      assertThat(n.path("verdicts")).isEmpty();
    });
  }

  @Test
  void badLaunchRequestsAreRefusedNamingTheOptionAndValue() throws Exception {
    HttpResponse<String> vlan = post(withActions, "/api/domains", "{\"name\":\"api-vlan\",\"vlan\":5000}", TOKEN);
    HttpResponse<String> nics = post(withActions, "/api/domains", "{\"name\":\"api-nics\",\"nics\":0}", TOKEN);
    HttpResponse<String> unknown = post(withActions, "/api/domains", "{\"colour\":\"blue\"}", TOKEN);
    HttpResponse<String> garbage = post(withActions, "/api/domains", "{not json", TOKEN);
    HttpResponse<String> pci = post(withActions, "/api/domains",
        "{\"name\":\"api-pci\",\"host-device\":\"0000:zz:00.0\"}", TOKEN);

    assertThat(vlan.statusCode()).isEqualTo(400);
    assertThat(json(vlan).path("error").asText()).isEqualTo("--vlan: invalid value '5000': must be 1 to 4094");
    assertThat(json(nics).path("error").asText()).startsWith("--nics: invalid value '0'");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(json(unknown).path("error").asText()).contains("--colour");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(json(garbage).path("error").asText()).startsWith("body: invalid value");
    assertThat(json(pci).path("error").asText()).startsWith("--host-device: invalid value '0000:zz:00.0'");
    assertThat(host.list().stream().map(GuestSummary::name)).doesNotContain("api-vlan", "api-nics", "api-pci");
  }

  @Test
  void aPlanThatCannotBeServedIsAConflict() throws Exception {
    // d1 has one SR-IOV PF with 7 VFs: 8 pinned SR-IOV NICs cannot all get one.
    HttpResponse<String> response = post(withActions, "/api/domains",
        "{\"name\":\"api-greedy\",\"nics\":8,\"pin\":\"sriov\"}", TOKEN);

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    assertThat(json(response).path("error").asText()).contains("sriov");
    assertThat(json(response).path("hint").asText()).isNotBlank();
  }

  @Test
  void aReadOnlyDashboardRefusesEveryAction() throws Exception {
    HttpResponse<String> response = post(readOnly, "/api/domains", "{\"name\":\"api-ro\"}", TOKEN);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).path("hint").asText()).contains("--enable-actions");
    assertThat(post(readOnly, "/api/domains/test/stop", "", TOKEN).statusCode()).isEqualTo(403);
    assertThat(json(get(readOnly, "/api/view")).path("actions").path("enabled").asBoolean()).isFalse();
  }

  @Test
  void eventsPushANewViewWhenAGuestIsLaunched() throws Exception {
    BlockingQueue<JsonNode> views = new LinkedBlockingQueue<>();
    // As a browser's EventSource asks for it.
    HttpRequest request = HttpRequest.newBuilder(withActions.address().resolve("/api/events"))
        .header("Accept", "text/event-stream").GET().build();
    HttpResponse<InputStream> stream = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(stream.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    Thread reader = new Thread(() -> SseViews.read(stream.body(), views), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      JsonNode first = views.poll(10, TimeUnit.SECONDS);
      assertThat(first).as("the current view on subscribing").isNotNull();

      assertThat(post(withActions, "/api/domains", "{\"name\":\"api-sse\",\"pin\":\"virtio\"}", TOKEN)
          .statusCode()).isEqualTo(200);

      JsonNode next;
      do {
        next = views.poll(10, TimeUnit.SECONDS);
        assertThat(next).as("a view pushed after the launch").isNotNull();
      } while (stream(next.path("domains")).noneMatch(d -> d.path("name").asText().equals("api-sse")));
      assertThat(next.path("generation").asLong()).isGreaterThan(first.path("generation").asLong());
    } finally {
      stream.body().close();
    }
  }


  private static Stream<JsonNode> stream(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false);
  }

  private static HttpResponse<String> get(DashboardServer server, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(server.address().resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(DashboardServer server, String path, String body, String token)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(server.address().resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return JSON.readTree(response.body());
  }
}

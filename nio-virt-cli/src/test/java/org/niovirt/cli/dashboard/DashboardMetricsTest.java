package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * {@code GET /metrics} of a dashboard on libvirt's test driver and the d1 capture (one SR-IOV PF,
 * 2 of 7 VFs created) with two guests launched on VFs and one launch refused: the numbers match what
 * happened, and Prometheus' own {@code promtool check metrics} accepts the exposition
 * ({@code NIOVIRT_REQUIRE_PROMTOOL=1} makes a missing promtool fail instead of skip).
 */
class DashboardMetricsTest {
  private static final String TOKEN = "metrics-token-0123456789";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PF = "pf=\"0000:01:00.0\"";

  @TempDir
  static Path temp;

  private static LibvirtHost host;
  private static DashboardServer server;
  private static String metrics;

  @BeforeAll
  static void startLaunchAndScrape() throws Exception {
    host = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
        .lockFile(temp.resolve("lock")).stateDirectory(temp.resolve("state")).kvmKnownToWork(false).build());
    HostDetector d1 = HostDetector.forSnapshot(Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz"));
    DashboardMetrics counting = new DashboardMetrics();
    LibvirtDashboardSource source = new LibvirtDashboardSource(host,
        counting.timedDetection("test:///default", d1::detect), Duration.ofSeconds(30));
    server = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0).withActions(TOKEN)
            .withPollInterval(Duration.ofMillis(200)),
        java.util.List.of(new DashboardServer.Host("", source, new LibvirtGuestActions(host, source,
            NetworkIoPlanner.create()))), counting);
    for (String name : new String[] {"metrics-1", "metrics-2"}) {
      HttpResponse<String> launched = launch("{\"name\":\"" + name + "\",\"nics\":1,\"pin\":\"sriov\"}");
      assertThat(launched.statusCode()).as(launched.body()).isEqualTo(200);
    }
    assertThat(launch("{\"name\":\"metrics-3\",\"nics\":0}").statusCode()).isEqualTo(400);
    server.refreshNow();
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(server.address().resolve("/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain; version=0.0.4");
    metrics = response.body();
  }

  @AfterAll
  static void stop() {
    TestGuests.removeAll(host, "metrics-");
    server.close();
    host.close();
  }

  @Test
  void vfsPerPfByStateAddUpToTheCardsTotal() {
    assertThat(metrics).contains(
        "niovirt_vfs{host=\"test:///default\"," + PF + ",state=\"held\"} 2.0",
        "niovirt_vfs{host=\"test:///default\"," + PF + ",state=\"free\"} 0.0",
        "niovirt_vfs{host=\"test:///default\"," + PF + ",state=\"not_created\"} 5.0",
        "niovirt_vfs{host=\"test:///default\"," + PF + ",state=\"orphaned\"} 0.0");
  }

  @Test
  void guestsByTechnologyAndState() {
    assertThat(metrics).contains("niovirt_guests{host=\"test:///default\",state=\"running\",technology=\"sriov\"} 2.0");
  }

  @Test
  void launchesAreCountedByResultAndFailureKindAndTimedInSeconds() {
    assertThat(metrics).contains(
        "niovirt_launches_total{host=\"test:///default\",kind=\"none\",result=\"ok\"} 2.0",
        "niovirt_launches_total{host=\"test:///default\",kind=\"invalid_input\",result=\"failed\"} 1.0",
        "niovirt_launch_duration_seconds_count{host=\"test:///default\",result=\"ok\"} 2",
        "niovirt_detection_duration_seconds_count{host=\"test:///default\"}",
        "# TYPE niovirt_launches_total counter");
  }

  @Test
  void promtoolAcceptsTheExposition() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    boolean required = "1".equals(System.getenv("NIOVIRT_REQUIRE_PROMTOOL"));
    assumeTrue(required || Files.isExecutable(promtool), "promtool (Debian package prometheus) is not installed");
    Path file = temp.resolve("metrics.txt");
    Files.writeString(file, metrics);
    Process check = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectInput(file.toFile()).redirectErrorStream(true).start();
    assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(check.exitValue()).as("promtool check metrics: %s", said).isZero();
  }

  private static HttpResponse<String> launch(String body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(server.address().resolve("/api/domains"))
        .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

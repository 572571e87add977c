package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.niovirt.cli.common.ConnectionInfo;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * The dashboard follows libvirt's domain events: a domain another client defines shows up with
 * no poll due, and a source that gives no change notices (a missed event) is still caught by the
 * periodic look. The other client is a second connection to the same in-process test driver.
 */
class DashboardEventsTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  @TempDir Path temp;

  private LibvirtHost connect() {
    return LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
        .lockFile(temp.resolve("lock")).stateDirectory(temp.resolve("state")).kvmKnownToWork(false).build());
  }

  private static DashboardSource source(LibvirtHost host) {
    HostDetector d1 = HostDetector.forSnapshot(Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz"));
    return new LibvirtDashboardSource(host, d1::detect, Duration.ofHours(1));
  }

  @Test
  void aDomainAnotherClientDefinesIsPushedByItsEventWithNoPollDue() throws Exception {
    try (LibvirtHost host = connect();
        DashboardServer server = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0)
            .withPollInterval(Duration.ofHours(1)), source(host), null)) {
      assertDefinedElsewhereShowsUp(server, "events-outsider");
    }
  }

  @Test
  void aSourceWithoutChangeNoticesIsCaughtByThePeriodicLook() throws Exception {
    try (LibvirtHost host = connect()) {
      DashboardSource events = source(host);
      DashboardSource deaf = new DashboardSource() { // keeps the no-op onChange: every event missed
        @Override
        public ConnectionInfo connection() {
          return events.connection();
        }

        @Override
        public Observation observe() {
          return events.observe();
        }
      };
      try (DashboardServer server = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0)
          .withPollInterval(Duration.ofMillis(300)), deaf, null)) {
        assertDefinedElsewhereShowsUp(server, "events-missed");
      }
    }
  }

  private static void assertDefinedElsewhereShowsUp(DashboardServer server, String name) throws Exception {
    BlockingQueue<JsonNode> views = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(server.address().resolve("/api/events"))
        .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    Thread reader = new Thread(() -> SseViews.read(stream.body(), views), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    Connect other = new Connect("test:///default");
    try {
      assertThat(views.poll(10, TimeUnit.SECONDS)).as("the view on subscribing").isNotNull();
      Domain domain = other.domainDefineXML("<domain type='test'><name>" + name + "</name><uuid>"
          + UUID.randomUUID() + "</uuid><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
          + "<os><type>hvm</type></os></domain>");
      awaitView(views, name, true);
      domain.undefine();
      awaitView(views, name, false);
    } finally {
      other.close();
      stream.body().close();
    }
  }

  private static void awaitView(BlockingQueue<JsonNode> views, String name, boolean present) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      JsonNode view = views.poll(1, TimeUnit.SECONDS);
      if (view != null && StreamSupport.stream(view.path("domains").spliterator(), false)
          .anyMatch(d -> d.path("name").asText().equals(name)) == present) {
        return;
      }
    }
    throw new AssertionError("no view " + (present ? "with " : "without ") + name + " was pushed in 10 s");
  }

}

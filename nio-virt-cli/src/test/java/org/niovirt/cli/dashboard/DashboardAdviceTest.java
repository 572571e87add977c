package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.niovirt.cli.dashboard.DashboardServer.DashboardSettings;
import org.niovirt.detect.HostDetector;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;

/**
 * The dashboard's view says what a new one-NIC guest gets on the host and what would unlock a
 * faster path ({@code newGuest} in {@code /api/view}), from the same proven advice as {@code plan}:
 * d5 (intel_iommu=off) is advised intel_iommu=on with a reboot for SR-IOV; d1 already gets SR-IOV.
 */
class DashboardAdviceTest {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir
  Path temp;

  @ParameterizedTest
  @CsvSource({"d5-vtd-off-rocker, virtio, intel_iommu=on", "d1-vtd-sriov-dual, sriov, ''"})
  void theViewCarriesTheNewGuestsTechnologyAndTheAdvice(String capture, String chosen, String change)
      throws Exception {
    HostDetector detector = HostDetector.forSnapshot(Path.of("src/test/resources/captures", capture + ".tar.gz"));
    try (LibvirtHost host = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
            .lockFile(temp.resolve("lock")).stateDirectory(temp.resolve("state")).kvmKnownToWork(false).build());
        DashboardServer server = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0),
            new LibvirtDashboardSource(host, detector::detect, Duration.ofSeconds(30)), null)) {
      String body = HTTP.send(HttpRequest.newBuilder(server.address().resolve("/api/view")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      JsonNode guest = new ObjectMapper().readTree(body).path("newGuest");

      assertThat(guest.path("chosen").asText()).isEqualTo(chosen);
      if (change.isEmpty()) {
        assertThat(guest.path("advice")).isEmpty();
      } else {
        assertThat(guest.at("/advice/0/unlocks").asText()).isEqualTo("sriov");
        assertThat(guest.at("/advice/0/remedies/0/change").asText()).contains(change);
        assertThat(guest.at("/advice/0/remedies/0/reboot").asBoolean()).isTrue();
        assertThat(guest.at("/advice/0/proof").asText()).contains("gets sriov instead of virtio");
      }
    }
  }
}

package org.niovirt.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * What an outside probe tried against the dashboard: host files through the launch action, and
 * pages of other names (DNS rebinding). Each must be refused without touching or echoing a file.
 */
class DashboardExposureTest {
  private static final String TOKEN = "exposure-token-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir static Path temp;
  private static LibvirtHost host;
  private static DashboardServer server;
  private static Path images;
  private static Path secret;

  @BeforeAll
  static void start() throws Exception {
    images = Files.createDirectory(temp.resolve("images"));
    Files.writeString(images.resolve("vmlinuz"), "a kernel");
    secret = Files.writeString(temp.resolve("secret"), "root:$6$hash:19000:0:99999:7:::\n");
    Files.createSymbolicLink(images.resolve("escape"), secret);
    host = LibvirtHost.connect("test:///default", LibvirtHostOptions.builder()
        .lockFile(temp.resolve("lock")).stateDirectory(temp.resolve("state")).kvmKnownToWork(false).build());
    HostDetector d1 = HostDetector.forSnapshot(Path.of("src/test/resources/captures/d1-vtd-sriov-dual.tar.gz"));
    LibvirtDashboardSource source = new LibvirtDashboardSource(host, d1::detect, Duration.ofSeconds(30));
    server = DashboardServer.start(DashboardSettings.readOnly("127.0.0.1", 0).withActions(TOKEN)
            .withAllowedImages(List.of(images.toRealPath())).withAllowedHosts(List.of("dashboard.lan")),
        source, new LibvirtGuestActions(host, source, NetworkIoPlanner.create()));
  }

  @AfterAll
  static void stop() {
    TestGuests.removeAll(host, "exp-");
    server.close();
    host.close();
  }

  private static HttpResponse<String> launch(String body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(server.address() + "api/domains"))
        .header("Authorization", "Bearer " + TOKEN)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void anAtFileNameIsANameNotAFileToRead() throws Exception {
    HttpResponse<String> response = launch("{\"name\":\"@" + secret + "\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("$6$hash");
    assertThat(json(response).path("error").asText()).startsWith("--name: invalid value '@" + secret + "'");
  }

  @Test
  void theSerialLogIsNoWebFieldSoNoFileIsWritten() throws Exception {
    Path target = temp.resolve("overwritten");
    HttpResponse<String> response = launch("{\"name\":\"exp-log\",\"serial-log\":\"" + target + "\"}");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).path("error").asText()).startsWith("--serial-log:").contains("not a launch field");
    assertThat(target).doesNotExist();
  }

  @Test
  void diskAndKernelPathsOutsideTheAllowedDirectoriesAreRefusedUnread() throws Exception {
    HttpResponse<String> outside = launch("{\"name\":\"exp-disk\",\"disk\":\"" + secret + "\"}");
    HttpResponse<String> viaLink = launch("{\"name\":\"exp-link\",\"kernel\":\"" + images.resolve("escape") + "\"}");
    HttpResponse<String> climbing = launch("{\"name\":\"exp-up\",\"disk\":\"" + images + "/../secret\"}");

    for (HttpResponse<String> response : List.of(outside, viaLink, climbing)) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
      assertThat(json(response).path("error").asText()).contains("not under a directory the dashboard allows");
      assertThat(response.body()).doesNotContain("$6$hash");
    }
    assertThat(host.list().stream().map(GuestSummary::name)).doesNotContain("exp-disk", "exp-link", "exp-up");
  }

  @Test
  void aKernelInsideAnAllowedDirectoryBoots() throws Exception {
    HttpResponse<String> response = launch("{\"name\":\"exp-kernel\",\"pin\":\"virtio\",\"kernel\":\""
        + images.resolve("vmlinuz") + "\",\"cmdline\":\"console=ttyS0\"}");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(host.xml("exp-kernel")).contains("<kernel>" + images.toRealPath().resolve("vmlinuz") + "</kernel>");
  }

  @Test
  void aCommandLineWithANewlineOrABodyOfNullIsBadInput() throws Exception {
    HttpResponse<String> newline = launch("{\"name\":\"exp-nl\",\"kernel\":\"" + images.resolve("vmlinuz")
        + "\",\"cmdline\":\"quiet\\ninit=/bin/sh\"}");
    HttpResponse<String> nothing = launch("null");

    assertThat(newline.statusCode()).isEqualTo(400);
    assertThat(json(newline).path("error").asText()).startsWith("--cmdline:");
    assertThat(nothing.statusCode()).isEqualTo(400);
    assertThat(json(nothing).path("error").asText()).startsWith("body: invalid value 'null'");
  }

  @Test
  void onlyItsOwnNamesGetAnswers() throws Exception {
    int port = server.port();
    assertThat(statusFor("evil.example:" + port)).isEqualTo(421);
    assertThat(statusFor("evil.example")).isEqualTo(421);
    assertThat(statusFor("localhost:" + port)).isEqualTo(200);
    assertThat(statusFor("127.0.0.1:" + port)).isEqualTo(200);
    assertThat(statusFor("dashboard.lan:" + port)).isEqualTo(200);
  }

  /** A raw request: Java's HttpClient will not send a Host header of our choosing. */
  private static int statusFor(String hostHeader) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /api/view HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      if (hostHeader.startsWith("evil")) {
        assertThat(response).doesNotContain("\"cards\"");
      }
      return Integer.parseInt(response.substring(9, 12));
    }
  }
}

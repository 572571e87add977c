package org.niovirt.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.niovirt.api.error.ProviderConfigurationException;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;

class ProviderDiscoveryTest {
  /** Public with a no-arg constructor so that ServiceLoader can make it. */
  public static class RejectingVirtio implements NetworkIoProvider {
    @Override
    public Technology technology() {
      return Technology.VIRTIO;
    }

    @Override
    public Proposal propose(PlanningContext context) {
      return Proposal.reject("test provider");
    }
  }

  public static class OtherVirtio extends RejectingVirtio {}

  @Test
  void noProviderIsAnErrorWithAHint() {
    assertThatThrownBy(() -> NetworkIoPlanner.builder().build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageStartingWith("No NetworkIoProvider found.")
        .hasMessageContaining("Hint: put nio-virt-virtio")
        .satisfies(e -> {
          ProviderConfigurationException failure = (ProviderConfigurationException) e;
          assertThat(failure.problem()).isEqualTo("No NetworkIoProvider found.");
          assertThat(failure.hint()).hasValueSatisfying(h -> assertThat(h).startsWith("put nio-virt-virtio"));
        });
  }

  @Test
  void twoProvidersForOneTechnologyNameBoth() {
    assertThatThrownBy(() -> NetworkIoPlanner.builder()
            .provider(new RejectingVirtio()).provider(new OtherVirtio()).build())
        .isInstanceOf(ProviderConfigurationException.class)
        .hasMessageContaining("Two providers claim technology virtio")
        .hasMessageContaining(RejectingVirtio.class.getName())
        .hasMessageContaining(OtherVirtio.class.getName())
        .hasMessageContaining("Hint:");
  }

  @Test
  void serviceLoaderAndExplicitRegistrationOfOneClassAreOneProvider(@TempDir Path dir) throws IOException {
    try (URLClassLoader loader = servicesFile(dir, RejectingVirtio.class.getName())) {
      NetworkIoPlanner planner = NetworkIoPlanner.builder()
          .provider(new RejectingVirtio()).loadProviders(loader).build();
      assertThat(planner.providers()).containsOnlyKeys(Technology.VIRTIO);
    }
  }

  @Test
  void aBrokenServiceEntryIsSkippedAndReported(@TempDir Path dir) throws IOException {
    try (URLClassLoader loader = servicesFile(dir, "org.example.DoesNotExist\n" + RejectingVirtio.class.getName())) {
      NetworkIoPlanner planner = NetworkIoPlanner.builder().loadProviders(loader).build();
      assertThat(planner.providers()).containsOnlyKeys(Technology.VIRTIO);
    }
    try (URLClassLoader loader = servicesFile(dir, "org.example.DoesNotExist")) {
      assertThatThrownBy(() -> NetworkIoPlanner.builder().loadProviders(loader).build())
          .hasMessageContaining("1 failed to load")
          .hasMessageContaining("org.example.DoesNotExist");
    }
  }

  private static URLClassLoader servicesFile(Path dir, String content) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(NetworkIoProvider.class.getName()), content + "\n");
    // Child-first for the services file only: the parent (test class path) has no such file.
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, ProviderDiscoveryTest.class.getClassLoader());
  }
}

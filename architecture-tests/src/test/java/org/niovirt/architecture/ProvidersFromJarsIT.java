package org.niovirt.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Loads the three providers the way a user's application does: from the jars the build produced,
 * through ServiceLoader, in a class loader that sees nothing but those jars and the API's.
 */
class ProvidersFromJarsIT {
  private static final String SPI = "org.niovirt.api.spi.NetworkIoProvider";

  private static Path builtJar(String module) {
    Path jar = Path.of(System.getProperty("niovirt.root", ".."), module, "target",
        module + "-" + System.getProperty("niovirt.version", "0.1.0-SNAPSHOT") + ".jar");
    assertThat(jar).as("the build must have packaged %s", module).isRegularFile();
    return jar;
  }

  private static Path jarOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void serviceLoaderFindsAllThreeProvidersInTheirJars() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String module : List.of("nio-virt-api", "nio-virt-virtio", "nio-virt-vtd", "nio-virt-sriov")) {
      urls.add(builtJar(module).toUri().toURL());
    }
    urls.add(jarOf(org.slf4j.LoggerFactory.class).toUri().toURL());
    // Parent = platform loader: the test's own class path (target/classes of the reactor) is invisible.
    try (URLClassLoader isolated =
        new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      Class<?> spi = Class.forName(SPI, true, isolated);
      List<String> technologies = new ArrayList<>();
      List<Path> origins = new ArrayList<>();
      for (Object provider : ServiceLoader.load(spi, isolated)) {
        technologies.add(String.valueOf(spi.getMethod("technology").invoke(provider)));
        origins.add(jarOf(provider.getClass()));
      }
      assertThat(technologies).containsExactlyInAnyOrder("virtio", "vtd", "sriov");
      assertThat(origins.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .allMatch(name -> name.endsWith(".jar"))
          .contains("nio-virt-virtio-" + System.getProperty("niovirt.version", "0.1.0-SNAPSHOT") + ".jar");

      // The planner's own discovery sees them too, in that isolated loader.
      Class<?> plannerType = Class.forName("org.niovirt.api.NetworkIoPlanner", true, isolated);
      Object builder = plannerType.getMethod("builder").invoke(null);
      builder.getClass().getMethod("loadProviders", ClassLoader.class).invoke(builder, isolated);
      Object planner = builder.getClass().getMethod("build").invoke(builder);
      Object providers = plannerType.getMethod("providers").invoke(planner);
      assertThat(((java.util.Map<?, ?>) providers)).hasSize(3);
    }
  }

  @Test
  void eachProviderJarDeclaresItsServiceFile() throws Exception {
    for (String module : List.of("nio-virt-virtio", "nio-virt-vtd", "nio-virt-sriov")) {
      try (var fs = java.nio.file.FileSystems.newFileSystem(builtJar(module))) {
        Path services = fs.getPath("META-INF", "services", SPI);
        assertThat(Files.readAllLines(services)).as(module).anyMatch(l -> l.startsWith("org.niovirt."));
      }
    }
  }
}

package org.niovirt.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's test guest (a Debian kernel and a busybox initramfs that prints its NICs), built by
 * {@code scripts/build-guest-image.sh} into the folder this class looks in: the same default as
 * that script's ({@code /var/cache} for root, whose home libvirt's QEMU user cannot enter).
 */
record TestGuest(Path kernel, Path initrd) {
  static final String CACHE_ENV = "NIOVIRT_GUEST_CACHE";

  static TestGuest cached() {
    String configured = System.getenv(CACHE_ENV);
    Path cache;
    if (configured != null && !configured.isBlank()) {
      cache = Path.of(configured);
    } else if ("root".equals(System.getProperty("user.name"))) {
      cache = Path.of("/var/cache/nio-virt/guest");
    } else {
      cache = Path.of(System.getProperty("user.home"), ".cache", "nio-virt", "guest");
    }
    Path absolute = cache.toAbsolutePath();
    return new TestGuest(absolute.resolve("vmlinuz"), absolute.resolve("initramfs.gz"));
  }

  boolean built() {
    return Files.isRegularFile(kernel) && Files.isRegularFile(initrd);
  }
}

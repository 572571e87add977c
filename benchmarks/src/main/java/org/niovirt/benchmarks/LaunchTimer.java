package org.niovirt.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import org.libvirt.Domain;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LaunchPreview;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.NodeDeviceInventory;

/**
 * The launch figures of {@code benchmarks/compare.sh}, on libvirt's in-process test driver: the
 * median milliseconds of one {@code LibvirtHost.launch} of a virtio guest with 10 and with 1,000
 * other domains defined, and of a bare define + create of the same XML with 1,000 defined. Filler
 * domains are defined directly (not launched), so setting up costs seconds, not the figure. Between
 * runs the guest is removed and the host's ledger brought up to date (untimed): each launch starts
 * from a settled host, as it does unless another launch has just finished.
 *
 * <p>Prints {@code launch_ms_10}, {@code launch_ms_1000} and {@code bare_ms_1000}.
 */
public final class LaunchTimer {
  private static final int WARMUP = 300;
  private static final int RUNS = 101;

  private LaunchTimer() {}

  public static void main(String[] args) throws Exception {
    Path state = Files.createTempDirectory("nio-virt-launch-bench");
    try (LibvirtHost host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, LibvirtHostOptions.builder()
        .lockFile(state.resolve("lock/launch.lock")).stateDirectory(state.resolve("state"))
        .kvmKnownToWork(false).build())) {
      HostInventory inventory = NodeDeviceInventory.read(host);
      NetworkIoPlanner planner = NetworkIoPlanner.create();
      define(host, planner, inventory, 10);
      System.out.printf("launch_ms_10 %.3f%n", medianLaunch(host, planner, inventory, "a"));
      define(host, planner, inventory, 1000);
      System.out.printf("launch_ms_1000 %.3f%n", medianLaunch(host, planner, inventory, "b"));
      System.out.printf("bare_ms_1000 %.3f%n", medianBare(host, planner, inventory));
    }
  }

  private static GuestSpec spec(String name) {
    return GuestSpec.builder().name(name).memoryMiB(64).accelerator(Accelerator.QEMU)
        .boot(BootSource.kernel().kernel(Path.of("/boot/vmlinuz-bench")).build()).build();
  }

  private static GuestNetworkRequest virtio(String name) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).build()).build();
  }

  private static LaunchPreview preview(LibvirtHost host, NetworkIoPlanner planner, HostInventory inventory,
      String name) {
    return host.preview(spec(name), planner.plan(inventory, virtio(name)));
  }

  /** Defines (without nio-virt's launch) filler domains until {@code total} are defined. */
  private static void define(LibvirtHost host, NetworkIoPlanner planner, HostInventory inventory,
      int total) throws Exception {
    int existing = host.connection().numOfDefinedDomains() + host.connection().numOfDomains();
    for (int i = existing; i < total; i++) {
      host.connection().domainDefineXML(preview(host, planner, inventory, "filler-" + i).domainXml());
    }
  }

  private static double medianLaunch(LibvirtHost host, NetworkIoPlanner planner, HostInventory inventory,
      String prefix) throws Exception {
    double[] millis = new double[RUNS];
    for (int i = 0; i < WARMUP + RUNS; i++) {
      String name = prefix + "-launch-" + i;
      long start = System.nanoTime();
      host.launch(spec(name), planner, inventory, virtio(name));
      double elapsed = (System.nanoTime() - start) / 1e6;
      host.destroy(name);
      host.undefine(name);
      host.list(); // the removal's events are the removal's cost: settled before the next launch
      if (i >= WARMUP) {
        millis[i - WARMUP] = elapsed;
      }
    }
    Arrays.sort(millis);
    return millis[RUNS / 2];
  }

  private static double medianBare(LibvirtHost host, NetworkIoPlanner planner, HostInventory inventory)
      throws Exception {
    double[] millis = new double[RUNS];
    for (int i = 0; i < WARMUP + RUNS; i++) {
      String name = "bare-" + i;
      String xml = preview(host, planner, inventory, name).domainXml().replaceFirst(
          "<uuid>[^<]*</uuid>", "<uuid>" + UUID.randomUUID() + "</uuid>");
      long start = System.nanoTime();
      Domain domain = host.connection().domainDefineXML(xml);
      domain.create();
      double elapsed = (System.nanoTime() - start) / 1e6;
      domain.destroy();
      domain.undefine();
      host.list(); // the same settling as between launches
      if (i >= WARMUP) {
        millis[i - WARMUP] = elapsed;
      }
    }
    Arrays.sort(millis);
    return millis[RUNS / 2];
  }
}

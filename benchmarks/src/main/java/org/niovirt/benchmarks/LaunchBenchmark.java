package org.niovirt.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.LibvirtHost;
import org.niovirt.libvirt.LibvirtHostOptions;
import org.niovirt.libvirt.NodeDeviceInventory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a launch costs over what libvirt itself does, and whether that grows with the domains
 * already defined: one {@link LibvirtHost#launch} of a single-virtio-NIC guest (lock, reconcile,
 * ledger check, plan, XML, define with the launch mark, start, mark cleared) against a bare
 * {@code virDomainDefineXML} + {@code virDomainCreate} of the same guest's XML, on libvirt's
 * in-process test driver with {@code domains} others defined. Each operation's guest is destroyed
 * and undefined afterwards, outside the measurement; filler domains are defined directly.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar LaunchBenchmark}. The ratios of
 * {@code benchmarks/compare.sh} come from {@link LaunchTimer}, the same work timed in one JVM.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class LaunchBenchmark {
  /** Domains defined besides the one launched. */
  @Param({"10", "1000"})
  public int domains;

  private Path state;
  private LibvirtHost host;
  private HostInventory inventory;
  private NetworkIoPlanner planner;
  private long sequence;
  private String current;
  private String bareXml;

  @Setup
  public void connect() throws IOException, LibvirtException {
    state = Files.createTempDirectory("nio-virt-launch-jmh");
    host = LibvirtHost.connect(LibvirtHost.DEFAULT_URI, LibvirtHostOptions.builder()
        .lockFile(state.resolve("lock/launch.lock")).stateDirectory(state.resolve("state"))
        .kvmKnownToWork(false).build());
    inventory = NodeDeviceInventory.read(host);
    planner = NetworkIoPlanner.create();
    int existing = host.connection().numOfDefinedDomains() + host.connection().numOfDomains();
    for (int i = existing; i < domains; i++) {
      String name = "filler-" + i;
      host.connection().domainDefineXML(
          host.preview(spec(name), planner.plan(inventory, request(name))).domainXml());
    }
  }

  @TearDown
  public void disconnect() throws IOException {
    host.close();
    try (var files = Files.walk(state)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }

  static GuestSpec spec(String name) {
    return GuestSpec.builder().name(name).memoryMiB(64).accelerator(Accelerator.QEMU)
        .boot(BootSource.kernel().kernel(Path.of("/boot/vmlinuz-bench")).build()).build();
  }

  static GuestNetworkRequest request(String name) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).build()).build();
  }

  /** Names the next guest and writes its XML for the bare run, outside the measured time. */
  @Setup(Level.Invocation)
  public void nextGuest() {
    current = "jmh-guest-" + sequence++;
    bareXml = host.preview(spec(current), planner.plan(inventory, request(current))).domainXml()
        .replaceFirst("<uuid>[^<]*</uuid>", "<uuid>" + UUID.randomUUID() + "</uuid>");
  }

  /** Removes the guest the last operation made, outside the measured time. */
  @TearDown(Level.Invocation)
  public void removeGuest() throws LibvirtException {
    Domain domain = host.connection().domainLookupByName(current);
    domain.destroy();
    domain.undefine();
    host.list(); // settles the ledger: the removal's events are not the next launch's cost
  }

  /** Lock, reconcile, ledger check, plan, XML, define (marked), start, mark cleared. */
  @Benchmark
  public Object launch() {
    return host.launch(spec(current), planner, inventory, request(current));
  }

  /** libvirt alone: define and start the XML such a launch defines (written beforehand). */
  @Benchmark
  public Object bareDefineCreate() throws LibvirtException {
    Domain domain = host.connection().domainDefineXML(bareXml);
    domain.create();
    return domain;
  }
}

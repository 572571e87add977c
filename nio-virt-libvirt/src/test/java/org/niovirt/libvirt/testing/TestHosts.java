package org.niovirt.libvirt.testing;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.Tristate;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;
import org.niovirt.libvirt.Accelerator;
import org.niovirt.libvirt.BootSource;
import org.niovirt.libvirt.GuestSpec;
import org.niovirt.libvirt.ImmutableNodeDeviceInventoryOptions;
import org.niovirt.libvirt.NodeDeviceInventoryOptions;
import org.niovirt.libvirt.LibvirtHostOptions;

/** Test driver hosts, guests and requests shared by the launch tests. */
public final class TestHosts {
  private TestHosts() {}

  /** {@code test:///abs/path} of a node file under src/test/resources/nodes: a private test driver. */
  public static String nodeFileUri(String name) {
    return "test://" + nodeFile(name);
  }

  public static Path nodeFile(String name) {
    URL url = TestHosts.class.getResource("/nodes/" + name);
    if (url == null) {
      throw new IllegalArgumentException("no node file src/test/resources/nodes/" + name);
    }
    try {
      return Path.of(url.toURI()).toAbsolutePath();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Lock and journal inside {@code dir}, so tests never touch /run/nio-virt or /var/lib. */
  public static org.niovirt.libvirt.ImmutableLibvirtHostOptions.Builder options(Path dir) {
    return LibvirtHostOptions.builder()
        .lockFile(dir.resolve("nio-virt.lock"))
        .stateDirectory(dir.resolve("state"))
        .kvmKnownToWork(false);
  }

  /**
   * Node devices cannot tell whether interrupt remapping is on; the test hosts stand for hosts where
   * it is, so the VT-d and SR-IOV providers may assign devices. eth0 carries the default route.
   */
  public static ImmutableNodeDeviceInventoryOptions.Builder inventoryOptions() {
    return NodeDeviceInventoryOptions.builder().interruptRemapping(Tristate.YES).addManagementInterface("eth0");
  }

  public static GuestSpec guest(String name) {
    return GuestSpec.builder().name(name).memoryMiB(64)
        .boot(BootSource.kernel().kernel(Path.of("/boot/vmlinuz-test")).build())
        .accelerator(Accelerator.QEMU)
        .build();
  }

  public static GuestNetworkRequest virtioRequest(String name, String mac) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).addMac(MacAddress.parse(mac))
            .virtioAttachment(VirtioAttachment.network("default")).build())
        .build();
  }

  public static GuestNetworkRequest sriovRequest(String name) {
    return GuestNetworkRequest.builder().guestName(name)
        .addNic(NicRequest.builder().pinned(Technology.SRIOV).build())
        .build();
  }

  public static List<String> names(List<? extends org.niovirt.libvirt.GuestSummary> guests) {
    return guests.stream().map(org.niovirt.libvirt.GuestSummary::name).collect(java.util.stream.Collectors.toList());
  }

  /** The PID of a process that has just exited: a launcher known to be dead. */
  public static long deadPid() {
    try {
      Process process = new ProcessBuilder("true").start();
      process.waitFor();
      return process.pid();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

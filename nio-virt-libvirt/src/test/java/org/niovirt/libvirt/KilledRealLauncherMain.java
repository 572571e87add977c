package org.niovirt.libvirt;

import java.nio.file.Path;
import org.niovirt.api.NetworkIoPlanner;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.Technology;
import org.niovirt.api.request.VirtioAttachment;

/**
 * Run as its own JVM by {@link KilledLaunchIT}: launches a small virtio guest on a real libvirtd
 * and halts (as {@code kill -9}: no finally blocks, no hooks) at {@code args[2]}: {@code at} halts
 * when the phase is reached, {@code during} lets the launcher go on into libvirt's call and halts
 * a moment later, while libvirtd is still working on it.
 *
 * <p>Arguments: URI, state folder, phase, at|during, guest name, kernel, initrd.
 */
public final class KilledRealLauncherMain {
  static final int KILLED_EXIT_STATUS = 137;

  private KilledRealLauncherMain() {}

  public static void main(String[] args) {
    LaunchPhase dieAt = LaunchPhase.valueOf(args[2]);
    boolean during = args[3].equals("during");
    String name = args[4];
    LibvirtHostOptions options = LibvirtHostOptions.builder()
        .stateDirectory(Path.of(args[1]))
        .kvmKnownToWork(false)
        .launchListener((guest, phase) -> {
          if (phase != dieAt) {
            return;
          }
          System.out.println("killed " + (during ? "during " : "at ") + phase);
          System.out.flush();
          if (!during) {
            Runtime.getRuntime().halt(KILLED_EXIT_STATUS);
          }
          Thread killer = new Thread(() -> {
            try {
              Thread.sleep(5);
            } catch (InterruptedException ignored) {
              // halt anyway
            }
            Runtime.getRuntime().halt(KILLED_EXIT_STATUS);
          });
          killer.start();
        })
        .build();
    GuestSpec spec = GuestSpec.builder().name(name).memoryMiB(128).vcpus(1)
        .boot(BootSource.kernel().kernel(Path.of(args[5])).initrd(Path.of(args[6]))
            .cmdline("console=ttyS0 panic=-1").build())
        .accelerator(Accelerator.QEMU)
        .build();
    GuestNetworkRequest request = GuestNetworkRequest.builder().guestName(name).vcpus(1)
        .addNic(NicRequest.builder().pinned(Technology.VIRTIO).virtioAttachment(VirtioAttachment.user()).build())
        .build();
    try (LibvirtHost host = LibvirtHost.connect(args[0], options)) {
      host.launch(spec, NetworkIoPlanner.create(), NodeDeviceInventory.read(host), request);
      // A "during" kill may land after the call returned: wait for it rather than finish.
      Thread.sleep(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.out.println("not killed");
    System.exit(1);
  }
}

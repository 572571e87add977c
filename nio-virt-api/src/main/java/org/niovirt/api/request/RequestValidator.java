package org.niovirt.api.request;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.MacAddress;

/** Checks a request before anything is planned, naming the field and value of the first fault. */
public final class RequestValidator {
  /** Kept to what libvirt, file names and shells all take literally. */
  private static final Pattern GUEST_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}");
  /** Linux interface names: at most 15 bytes, no '/', ':' or white space. */
  private static final Pattern IFNAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
  private static final Pattern NETWORK_NAME = Pattern.compile("[A-Za-z0-9_.+-]{1,64}");
  public static final int MAX_NICS = 64;
  public static final int MAX_VCPUS = 4096;

  private RequestValidator() {}

  public static GuestNetworkRequest validate(GuestNetworkRequest request) {
    return validate(request, FieldNames.PATHS);
  }

  /** Like {@link #validate(GuestNetworkRequest)}, naming fields in errors as {@code names} does. */
  public static GuestNetworkRequest validate(GuestNetworkRequest request, FieldNames names) {
    requireMatch(names.guestName(), request.guestName(), GUEST_NAME,
        "1-64 characters of letters, digits, '_', '.', '+', '-', starting with a letter or digit");
    if (request.vcpus() < 1 || request.vcpus() > MAX_VCPUS) {
      throw new InvalidInputException(names.vcpus(), request.vcpus(), "must be 1 to " + MAX_VCPUS);
    }
    if (request.nics().isEmpty()) {
      throw new InvalidInputException(names.nics(), "[]", "a guest needs at least one NIC request");
    }
    Set<MacAddress> seenMacs = new HashSet<>();
    int total = 0;
    for (int i = 0; i < request.nics().size(); i++) {
      NicRequest nic = request.nics().get(i);
      if (nic.count() < 1 || nic.count() > MAX_NICS) {
        throw new InvalidInputException(names.count(i), nic.count(), "must be 1 to " + MAX_NICS);
      }
      total += nic.count();
      if (nic.macs().size() > nic.count()) {
        throw new InvalidInputException(names.macs(i), nic.macs(),
            "more MACs (" + nic.macs().size() + ") than NICs (" + nic.count() + ")");
      }
      for (MacAddress mac : nic.macs()) {
        if (mac.isMulticast()) {
          throw new InvalidInputException(names.macs(i), mac,
              "a multicast address cannot be a NIC's address (first octet must be even)");
        }
        if (mac.value().equals("00:00:00:00:00:00")) {
          throw new InvalidInputException(names.macs(i), mac,
              "the all-zero address is no NIC's address (Linux refuses it as invalid)");
        }
        if (!seenMacs.add(mac)) {
          throw new InvalidInputException(names.macs(i), mac, "the same MAC is given twice");
        }
      }
      if (nic.vlan().isPresent() && (nic.vlan().getAsInt() < 1 || nic.vlan().getAsInt() > 4094)) {
        throw new InvalidInputException(names.vlan(i), nic.vlan().getAsInt(), "must be 1 to 4094");
      }
      if (nic.numaNode().isPresent() && nic.numaNode().getAsInt() < 0) {
        throw new InvalidInputException(names.numaNode(i), nic.numaNode().getAsInt(), "must be 0 or more");
      }
      if (nic.minBandwidthMbps().isPresent() && nic.minBandwidthMbps().getAsLong() <= 0) {
        throw new InvalidInputException(
            names.minBandwidthMbps(i), nic.minBandwidthMbps().getAsLong(), "must be positive");
      }
      if (nic.pinned().isPresent() && nic.excluded().contains(nic.pinned().get())) {
        throw new InvalidInputException(names.pinned(i), nic.pinned().get(), "is also excluded");
      }
      if (nic.liveMigration() && !nic.failover()
          && nic.pinned().filter(t -> t != Technology.VIRTIO).isPresent()) {
        throw new InvalidInputException(names.pinned(i), nic.pinned().get(),
            "live migration without a failover pair needs virtio: a host device cannot migrate");
      }
      validateAttachment(names, i, nic.virtioAttachment());
    }
    if (total > MAX_NICS) {
      throw new InvalidInputException(names.nics(), total + " NICs", "at most " + MAX_NICS + " per guest");
    }
    return request;
  }

  private static void validateAttachment(FieldNames names, int nic, VirtioAttachment attachment) {
    if (attachment instanceof NetworkAttachment network) {
      requireMatch(names.network(nic), network.name(), NETWORK_NAME,
          "a libvirt network name: letters, digits, '_', '.', '+', '-'");
    } else if (attachment instanceof BridgeAttachment bridge) {
      requireInterface(names.bridge(nic), bridge.name());
    } else if (attachment instanceof DirectAttachment direct) {
      requireInterface(names.direct(nic), direct.hostInterface());
    }
  }

  /** A host interface a guest can plug into: '.' and '..' are no names, and 'lo' leads nowhere. */
  private static void requireInterface(String field, String name) {
    requireMatch(field, name, IFNAME, "a Linux interface name: 1-15 letters, digits, '_', '.', '-'");
    if (name.equals(".") || name.equals("..")) {
      throw new InvalidInputException(field, name, "'.' and '..' are not interface names (Linux refuses them)");
    }
    if (name.equals("lo")) {
      throw new InvalidInputException(field, name, "the loopback interface carries no guest traffic;"
          + " name a bridge or a physical interface");
    }
  }

  private static void requireMatch(String field, String value, Pattern pattern, String expectation) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new InvalidInputException(field, value, expectation);
    }
  }
}

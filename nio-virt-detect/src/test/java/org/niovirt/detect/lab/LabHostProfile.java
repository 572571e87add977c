package org.niovirt.detect.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.IommuGroup;
import org.niovirt.api.model.IommuVendor;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.model.Tristate;

/**
 * One emulated lab host ({@code lab/hosts/profiles/NAME.properties}): what it is made of and what
 * nio-virt must find on it. The hardware lab asserts these facts on the host's live inventory and
 * its snapshot; the detect tests assert them again on the snapshot kept as a test resource.
 */
public final class LabHostProfile {
  private final String name;
  private final Properties properties;

  private LabHostProfile(String name, Properties properties) {
    this.name = name;
    this.properties = properties;
  }

  public static LabHostProfile read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lab profile " + file, e);
    }
    String fileName = file.getFileName().toString();
    return new LabHostProfile(fileName.substring(0, fileName.lastIndexOf('.')), properties);
  }

  /** Every profile in a folder ({@code NAME.properties}), by name. */
  public static List<LabHostProfile> readAll(Path folder) {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(p -> p.getFileName().toString().endsWith(".properties")).sorted()
          .map(LabHostProfile::read).collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list lab profiles in " + folder, e);
    }
  }

  public String name() {
    return name;
  }

  public Optional<String> value(String key) {
    return Optional.ofNullable(properties.getProperty(key)).map(String::trim)
        .filter(v -> !v.isEmpty());
  }

  /** A space-separated list value; empty when the key is absent. */
  public List<String> words(String key) {
    return value(key).map(v -> Arrays.asList(v.split("\\s+"))).orElse(List.of());
  }

  /** Technologies the lab launches a nested guest with on this host. */
  public List<String> nestedTechnologies() {
    return words("nested");
  }

  @Override
  public String toString() {
    return name;
  }

  /** Checks every {@code expect.*} fact of the profile against an inventory, reporting all misses. */
  public void assertFacts(HostInventory inventory) {
    assertThat(properties.stringPropertyNames())
        .as("profile %s names at least the IOMMU vendor it expects", name)
        .contains("expect.iommu.vendor");
    SoftAssertions softly = new SoftAssertions();
    String where = name + " (" + inventory.source() + ")";
    value("expect.iommu.vendor").ifPresent(vendor -> softly.assertThat(inventory.iommu().vendor())
        .as("%s: IOMMU vendor", where).isEqualTo(IommuVendor.valueOf(vendor)));
    value("expect.iommu.enabled").ifPresent(enabled -> softly.assertThat(inventory.iommu().enabled())
        .as("%s: IOMMU enabled", where).isEqualTo(Boolean.parseBoolean(enabled)));
    value("expect.iommu.interruptRemapping").ifPresent(remapping -> softly
        .assertThat(inventory.iommu().interruptRemapping())
        .as("%s: interrupt remapping", where).isEqualTo(Tristate.valueOf(remapping)));
    softly.assertThat(inventory.managementInterfaces())
        .as("%s: management interfaces (the lab's virtio eth0 alone)", where)
        .containsExactly("eth0");
    softly.assertThat(addresses(inventory.functions()
            .filter(f -> f.sriov().map(s -> s.totalVfs() > 0).orElse(false))
            .map(NetworkFunction::address).collect(Collectors.toList())))
        .as("%s: SR-IOV PFs", where)
        .isEqualTo(new TreeSet<>(words("expect.sriov.pfs")));
    List<String> shared = words("expect.sharedGroup");
    if (!shared.isEmpty()) {
      PciAddress first = PciAddress.parse(shared.get(0));
      Optional<IommuGroup> group = inventory.iommu().groups().stream()
          .filter(g -> g.members().stream().anyMatch(m -> m.address().equals(first)))
          .findFirst();
      softly.assertThat(group).as("%s: IOMMU group of %s", where, first).isPresent();
      group.ifPresent(g -> softly.assertThat(addresses(g.nonBridgeMembers()))
          .as("%s: functions sharing IOMMU group %d", where, g.id())
          .isEqualTo(new TreeSet<>(shared)));
    }
    softly.assertAll();
  }

  private static Set<String> addresses(List<PciAddress> list) {
    return list.stream().map(PciAddress::toString).collect(Collectors.toCollection(TreeSet::new));
  }
}

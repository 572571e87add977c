package org.niovirt.libvirt.xml;

import static org.niovirt.libvirt.xml.XmlDom.attribute;
import static org.niovirt.libvirt.xml.XmlDom.child;
import static org.niovirt.libvirt.xml.XmlDom.children;
import static org.niovirt.libvirt.xml.XmlDom.intValue;
import static org.niovirt.libvirt.xml.XmlDom.parse;
import static org.niovirt.libvirt.xml.XmlDom.pciAddress;
import static org.niovirt.libvirt.xml.XmlDom.required;
import static org.niovirt.libvirt.xml.XmlDom.requiredAttribute;
import static org.niovirt.libvirt.xml.XmlDom.requiredText;
import static org.niovirt.libvirt.xml.XmlDom.text;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.niovirt.api.text.Printable;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.request.Technology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Element;

/**
 * Converts {@link DomainXml} to libvirt domain XML text and back. Writing goes through StAX (every
 * value escaped); reading goes through DOM with DTDs and external entities disabled, and ignores
 * the elements libvirt adds that the model does not hold (aliases, PCI slots of the guest, ...).
 */
public final class DomainXmlCodec {
  private static final Logger LOG = LoggerFactory.getLogger(DomainXmlCodec.class);
  /** libvirt's memory units and their size in bytes (docs: formatdomain.html#memory-allocation). */
  private static final Map<String, Long> MEMORY_UNITS = Map.ofEntries(
      Map.entry("b", 1L), Map.entry("bytes", 1L),
      Map.entry("kb", 1000L), Map.entry("k", 1024L), Map.entry("kib", 1024L),
      Map.entry("mb", 1000L * 1000), Map.entry("m", 1L << 20), Map.entry("mib", 1L << 20),
      Map.entry("gb", 1000L * 1000 * 1000), Map.entry("g", 1L << 30), Map.entry("gib", 1L << 30),
      Map.entry("tb", 1000L * 1000 * 1000 * 1000), Map.entry("t", 1L << 40),
      Map.entry("tib", 1L << 40));

  private DomainXmlCodec() {}

  public static String marshal(DomainXml domain) {
    XmlElement root = new XmlElement("domain").attribute("type", domain.type());
    root.textChild("name", domain.name());
    domain.uuid().ifPresent(uuid -> root.textChild("uuid", uuid));
    domain.description().ifPresent(text -> root.textChild("description", text));
    if (domain.recordedPlan().isPresent() || domain.launchPendingBy().isPresent()) {
      XmlElement metadata = root.child("metadata");
      domain.recordedPlan().ifPresent(plan -> writePlan(metadata, plan));
      domain.launchPendingBy().ifPresent(pid -> metadata.namespacedChild(LaunchMark.PREFIX,
          LaunchMark.ELEMENT, LaunchMark.NAMESPACE).attribute(LaunchMark.PID, Long.toString(pid)));
    }
    root.child("memory").attribute("unit", "KiB").text(Long.toString(domain.memoryKiB()));
    root.textChild("vcpu", Integer.toString(domain.vcpus()));
    writeOs(root.child("os"), domain.os());
    if (!domain.features().isEmpty()) {
      XmlElement features = root.child("features");
      domain.features().forEach(features::child);
    }
    domain.onPoweroff().ifPresent(v -> root.textChild("on_poweroff", v));
    domain.onReboot().ifPresent(v -> root.textChild("on_reboot", v));
    domain.onCrash().ifPresent(v -> root.textChild("on_crash", v));
    writeDevices(root.child("devices"), domain.devices());
    return root.toXml();
  }

  private static void writePlan(XmlElement metadata, RecordedPlan plan) {
    XmlElement element = metadata.namespacedChild(RecordedPlan.PREFIX, "plan", RecordedPlan.NAMESPACE)
        .attribute("guest", plan.guestName());
    for (RecordedNic nic : plan.nics()) {
      XmlElement nicElement = element.child("nic")
          .attribute("index", Integer.toString(nic.nicIndex()))
          .attribute("technology", nic.technology().id());
      nic.physicalFunction().ifPresent(pf -> nicElement.attribute("pf", pf.toString()));
      nic.vfIndex().ifPresent(index -> nicElement.attribute("vf-index", Integer.toString(index)));
      nic.devices().forEach(device -> nicElement.textChild("device", device.toString()));
      // Reasons quote names from the host (a netdev may be named with control characters):
      // recorded escaped, as they are shown, since XML cannot carry those characters.
      nicElement.textChild("reason", Printable.escape(nic.reason()));
      for (Verdict verdict : nic.verdicts()) {
        nicElement.child("verdict").attribute("technology", verdict.technology().id())
            .attribute("outcome", verdict.outcome().toString()).text(Printable.escape(verdict.reason()));
      }
    }
  }

  private static void writeOs(XmlElement os, OsXml model) {
    XmlElement type = os.child("type");
    model.arch().ifPresent(arch -> type.attribute("arch", arch));
    model.machine().ifPresent(machine -> type.attribute("machine", machine));
    type.text(model.type());
    model.kernel().ifPresent(v -> os.textChild("kernel", v));
    model.initrd().ifPresent(v -> os.textChild("initrd", v));
    model.cmdline().ifPresent(v -> os.textChild("cmdline", v));
    model.bootDevices().forEach(dev -> os.child("boot").attribute("dev", dev));
  }

  private static void writeDevices(XmlElement devices, DevicesXml model) {
    model.emulator().ifPresent(v -> devices.textChild("emulator", v));
    for (DiskXml disk : model.disks()) {
      XmlElement element = devices.child("disk").attribute("type", "file").attribute("device", "disk");
      element.child("driver").attribute("name", "qemu").attribute("type", disk.format());
      element.child("source").attribute("file", disk.sourceFile());
      element.child("target").attribute("dev", disk.targetDevice()).attribute("bus", disk.targetBus());
    }
    model.interfaces().forEach(nic -> InterfaceXmlCodec.write(devices.child("interface"), nic));
    model.serials().forEach(serial -> writeCharDevice(devices.child("serial"), serial));
    model.consoles().forEach(console -> writeCharDevice(devices.child("console"), console));
    for (HostdevXml hostdev : model.hostdevs()) {
      XmlElement element = devices.child("hostdev").attribute("mode", "subsystem")
          .attribute("type", "pci").attribute("managed", yesNo(hostdev.managed()));
      writeAddress(element.child("source").child("address"), hostdev.source(), false);
      hostdev.teaming().ifPresent(teaming -> InterfaceXmlCodec.writeTeaming(element, teaming));
    }
  }

  private static void writeCharDevice(XmlElement element, CharDeviceXml device) {
    element.attribute("type", device.type());
    device.sourcePath().ifPresent(path -> element.child("source").attribute("path", path));
    if (device.targetType().isPresent() || device.targetPort().isPresent()) {
      XmlElement target = element.child("target");
      device.targetType().ifPresent(type -> target.attribute("type", type));
      device.targetPort().ifPresent(port -> target.attribute("port", Integer.toString(port)));
    }
  }

  static void writeAddress(XmlElement element, PciAddressXml model, boolean typed) {
    if (typed) {
      element.attribute("type", "pci");
    }
    XmlDom.pciAddressAttributes(model.address()).forEach(element::attribute);
  }

  static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  /** Parses domain XML as libvirt returns it ({@code virDomainGetXMLDesc}) or as we wrote it. */
  public static DomainXml unmarshal(String xml) {
    Element root = parse(xml);
    if (!"domain".equals(root.getTagName())) {
      throw new InvalidInputException("domain XML root", root.getTagName(), "expected <domain>");
    }
    ImmutableDomainXml.Builder domain = DomainXml.builder()
        .type(requiredAttribute(root, "type", "domain"))
        .name(requiredText(root, "name", "domain"))
        .uuid(text(root, "uuid"))
        .description(text(root, "description"))
        .recordedPlan(child(root, "metadata").flatMap(DomainXmlCodec::readPlan))
        .launchPendingBy(child(root, "metadata").flatMap(LaunchMark::launcherPid))
        .memoryKiB(memoryKiB(child(root, "memory").orElseThrow(
            () -> new InvalidInputException("domain/memory", null, "<memory> is required"))))
        .vcpus(intValue("domain/vcpu", requiredText(root, "vcpu", "domain")))
        .os(readOs(child(root, "os").orElseThrow(
            () -> new InvalidInputException("domain/os", null, "<os> is required"))))
        .onPoweroff(text(root, "on_poweroff"))
        .onReboot(text(root, "on_reboot"))
        .onCrash(text(root, "on_crash"));
    child(root, "features").ifPresent(features ->
        children(features, null).forEach(f -> domain.addFeature(f.getTagName())));
    domain.devices(readDevices(child(root, "devices")));
    return domain.build();
  }

  /**
   * Our plan record, when the domain has one that reads cleanly. A domain defined by someone else
   * has none, and a damaged record (edited by hand, cut short) counts as none: it only explains,
   * and must never stop anyone from reading the domain itself.
   */
  static Optional<RecordedPlan> readPlan(Element metadata) {
    List<Element> plans = children(metadata, RecordedPlan.NAMESPACE, "plan");
    if (plans.isEmpty()) {
      return Optional.empty();
    }
    String at = "domain/metadata/" + RecordedPlan.PREFIX + ":plan";
    try {
      Element plan = plans.get(0);
      ImmutableRecordedPlan.Builder recorded = RecordedPlan.builder()
          .guestName(requiredAttribute(plan, "guest", at));
      for (Element nic : children(plan, RecordedPlan.NAMESPACE, "nic")) {
        recorded.addNic(readRecordedNic(nic, at + "/nic"));
      }
      return Optional.of(recorded.build());
    } catch (InvalidInputException | IllegalArgumentException e) {
      LOG.debug("ignoring a damaged nio-virt plan record: {}", e.getMessage());
      return Optional.empty();
    }
  }

  private static RecordedNic readRecordedNic(Element nic, String at) {
    ImmutableRecordedNic.Builder builder = RecordedNic.builder()
        .nicIndex(intValue(at + "@index", requiredAttribute(nic, "index", at)))
        .technology(Technology.parse(requiredAttribute(nic, "technology", at), at + "@technology"))
        .reason(required(children(nic, RecordedPlan.NAMESPACE, "reason").stream().findFirst(),
            at + "/reason").getTextContent());
    for (Element device : children(nic, RecordedPlan.NAMESPACE, "device")) {
      builder.addDevice(PciAddress.parse(device.getTextContent(), at + "/device"));
    }
    attribute(nic, "pf").ifPresent(pf -> builder.physicalFunction(PciAddress.parse(pf, at + "@pf")));
    attribute(nic, "vf-index").ifPresent(index -> builder.vfIndex(intValue(at + "@vf-index", index)));
    for (Element verdict : children(nic, RecordedPlan.NAMESPACE, "verdict")) {
      String field = at + "/verdict";
      builder.addVerdict(Verdict.of(
          Technology.parse(requiredAttribute(verdict, "technology", field), field + "@technology"),
          outcome(requiredAttribute(verdict, "outcome", field), field + "@outcome"),
          verdict.getTextContent()));
    }
    return builder.build();
  }

  private static Verdict.Outcome outcome(String text, String field) {
    for (Verdict.Outcome outcome : Verdict.Outcome.values()) {
      if (outcome.toString().equals(text)) {
        return outcome;
      }
    }
    throw new InvalidInputException(field, text, "one of chosen, feasible, rejected, excluded");
  }

  private static OsXml readOs(Element os) {
    Element type = child(os, "type").orElseThrow(
        () -> new InvalidInputException("domain/os/type", null, "<type> is required"));
    ImmutableOsXml.Builder builder = OsXml.builder()
        .type(type.getTextContent().trim())
        .arch(attribute(type, "arch"))
        .machine(attribute(type, "machine"))
        .kernel(text(os, "kernel"))
        .initrd(text(os, "initrd"))
        .cmdline(text(os, "cmdline"));
    children(os, "boot").forEach(boot -> builder.addBootDevice(
        requiredAttribute(boot, "dev", "domain/os/boot")));
    return builder.build();
  }

  private static DevicesXml readDevices(Optional<Element> devices) {
    ImmutableDevicesXml.Builder builder = DevicesXml.builder();
    if (devices.isEmpty()) {
      return builder.build();
    }
    Element root = devices.get();
    builder.emulator(text(root, "emulator"));
    for (Element disk : children(root, "disk")) {
      Optional<String> file = child(disk, "source").flatMap(s -> attribute(s, "file"));
      Optional<Element> target = child(disk, "target");
      // Only file-backed disks are modelled; CD-ROMs without media and network disks are skipped.
      if (file.isEmpty() || target.isEmpty() || !"disk".equals(attribute(disk, "device").orElse("disk"))) {
        continue;
      }
      builder.addDisk(DiskXml.builder()
          .format(child(disk, "driver").flatMap(d -> attribute(d, "type")).orElse("raw"))
          .sourceFile(file.get())
          .targetDevice(requiredAttribute(target.get(), "dev", "domain/devices/disk/target"))
          .targetBus(attribute(target.get(), "bus").orElse("virtio"))
          .build());
    }
    children(root, "interface").forEach(nic -> builder.addInterface(InterfaceXmlCodec.read(nic)));
    children(root, "serial").forEach(serial -> builder.addSerial(readCharDevice(serial)));
    children(root, "console").forEach(console -> builder.addConsole(readCharDevice(console)));
    for (Element hostdev : children(root, "hostdev")) {
      if ("subsystem".equals(attribute(hostdev, "mode").orElse("subsystem"))
          && "pci".equals(attribute(hostdev, "type").orElse(""))) {
        Element address = child(hostdev, "source").flatMap(s -> child(s, "address")).orElseThrow(
            () -> new InvalidInputException("domain/devices/hostdev/source/address", null,
                "a PCI hostdev needs a source address"));
        builder.addHostdev(HostdevXml.builder()
            .managed("yes".equals(attribute(hostdev, "managed").orElse("no")))
            .source(readAddress(address, "domain/devices/hostdev/source/address"))
            .teaming(InterfaceXmlCodec.readTeaming(hostdev, "domain/devices/hostdev/teaming"))
            .build());
      }
    }
    return builder.build();
  }

  private static CharDeviceXml readCharDevice(Element device) {
    ImmutableCharDeviceXml.Builder builder = CharDeviceXml.builder()
        .type(requiredAttribute(device, "type", "domain/devices/" + device.getTagName()))
        .sourcePath(child(device, "source").flatMap(s -> attribute(s, "path")));
    child(device, "target").ifPresent(target -> {
      builder.targetType(attribute(target, "type"));
      attribute(target, "port").ifPresent(
          port -> builder.targetPort(intValue(device.getTagName() + "/target@port", port)));
    });
    return builder.build();
  }

  static PciAddressXml readAddress(Element address, String field) {
    return PciAddressXml.of(pciAddress(address, field));
  }

  private static long memoryKiB(Element memory) {
    String unit = attribute(memory, "unit").orElse("KiB");
    Long bytesPerUnit = MEMORY_UNITS.get(unit.toLowerCase(Locale.ROOT));
    if (bytesPerUnit == null) {
      throw new InvalidInputException("domain/memory@unit", unit, "one of libvirt's units, e.g. KiB, MiB, GiB");
    }
    long value;
    try {
      value = Long.parseLong(memory.getTextContent().trim());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("domain/memory", memory.getTextContent(), "an integer");
    }
    return Math.multiplyExact(value, bytesPerUnit) / 1024;
  }

}

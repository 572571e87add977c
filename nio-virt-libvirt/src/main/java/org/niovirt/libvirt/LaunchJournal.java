package org.niovirt.libvirt;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.immutables.value.Value;
import org.niovirt.api.model.PciAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Write-ahead record of launches in progress: one file per launch, written (and synced) before the
 * host is touched and deleted once the domain runs or everything was undone. A file that is still
 * there when the next launcher takes the host lock belongs to a launcher that died; that launcher's
 * changes are reverted then ({@link LibvirtHost#reconcile()}).
 */
final class LaunchJournal {
  private static final Logger LOG = LoggerFactory.getLogger(LaunchJournal.class);
  private static final String SUFFIX = ".launch";
  private final Path directory;

  LaunchJournal(Path directory) {
    this.directory = directory;
  }

  Path directory() {
    return directory;
  }

  @Value.Immutable
  interface Entry {
    Path file();

    String guest();

    UUID uuid();

    String uri();

    Path hostRoot();

    List<HostChange> changes();

    /** How far the launcher got with libvirt: empty, DEFINING or STARTING (a call may be in flight). */
    @org.immutables.value.Value.Default
    default String libvirtStep() {
      return "";
    }

    /** When a reconcile reverted the host changes while the domain's fate was open; 0 if never. */
    @org.immutables.value.Value.Default
    default long revertedAtMillis() {
      return 0;
    }
  }

  Entry record(String guest, UUID uuid, String uri, Path hostRoot, List<HostChange> changes) {
    Entry entry = ImmutableEntry.builder().file(directory.resolve(guest + "." + uuid + SUFFIX))
        .guest(guest).uuid(uuid).uri(uri).hostRoot(hostRoot).changes(changes).build();
    write(entry);
    return entry;
  }

  /** Records, durably, that the launcher is about to ask libvirt for {@code step}. */
  Entry advance(Entry entry, String step) {
    Entry next = ImmutableEntry.copyOf(entry).withLibvirtStep(step);
    write(next);
    return next;
  }

  /** Records that the host changes were reverted while the domain may still appear. */
  Entry reverted(Entry entry, long atMillis) {
    Entry next = ImmutableEntry.copyOf(entry).withRevertedAtMillis(atMillis).withChanges(List.of());
    write(next);
    return next;
  }

  private void write(Entry entry) {
    String guest = entry.guest();
    UUID uuid = entry.uuid();
    List<HostChange> changes = entry.changes();
    Properties p = new Properties();
    p.setProperty("libvirtStep", entry.libvirtStep());
    p.setProperty("revertedAtMillis", Long.toString(entry.revertedAtMillis()));
    p.setProperty("guest", guest);
    p.setProperty("uuid", uuid.toString());
    p.setProperty("uri", entry.uri());
    p.setProperty("hostRoot", entry.hostRoot().toString());
    for (int i = 0; i < changes.size(); i++) {
      String key = "change." + i + ".";
      HostChange change = changes.get(i);
      if (change instanceof NumVfsChange vfs) {
        p.setProperty(key + "type", "numvfs");
        p.setProperty(key + "pf", vfs.physicalFunction().toString());
        p.setProperty(key + "before", Integer.toString(vfs.before()));
        p.setProperty(key + "after", Integer.toString(vfs.after()));
      } else if (change instanceof LinkChange link) {
        p.setProperty(key + "type", "link");
        p.setProperty(key + "netdev", link.netdev());
        p.setProperty(key + "wasUp", Boolean.toString(link.wasUp()));
      }
    }
    Path file = entry.file();
    Path temporary = directory.resolve(guest + "." + uuid + SUFFIX + ".tmp");
    try {
      Files.createDirectories(directory);
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
          StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        p.store(out, "nio-virt launch in progress; reverted by the next launch if still here");
        out.flush();
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new HostPreparationException("cannot write the launch journal " + file + ": " + e,
          "choose a writable LibvirtHostOptions.stateDirectory", e);
    }
  }

  /** Entries left behind, oldest file name first; unreadable files are moved aside. */
  List<Entry> pending() {
    List<Entry> entries = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return entries;
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
      stream.forEach(files::add);
    } catch (IOException e) {
      throw new HostPreparationException("cannot list the launch journal " + directory + ": " + e, e);
    }
    files.sort(null);
    for (Path file : files) {
      try {
        entries.add(read(file));
      } catch (IOException | RuntimeException e) {
        Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
        LOG.error("Launch journal entry {} is unreadable ({}); moved to {} for a person to check",
            file, e.toString(), aside);
        try {
          Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException moveFailure) {
          e.addSuppressed(moveFailure);
          throw new HostPreparationException("cannot move aside the unreadable journal entry " + file, e);
        }
      }
    }
    return entries;
  }

  private static Entry read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
      p.load(in);
    }
    ImmutableEntry.Builder entry = ImmutableEntry.builder().file(file)
        .guest(required(p, "guest"))
        .uuid(UUID.fromString(required(p, "uuid")))
        .uri(required(p, "uri"))
        // On the journal's own file system: a remote host's journal names that host's root.
        .hostRoot(file.getFileSystem().getPath(required(p, "hostRoot")))
        .libvirtStep(p.getProperty("libvirtStep", ""))
        .revertedAtMillis(Long.parseLong(p.getProperty("revertedAtMillis", "0")));
    for (int i = 0; p.containsKey("change." + i + ".type"); i++) {
      String key = "change." + i + ".";
      String type = p.getProperty(key + "type");
      if ("numvfs".equals(type)) {
        entry.addChange(NumVfsChange.of(PciAddress.parse(required(p, key + "pf"), key + "pf"),
            Integer.parseInt(required(p, key + "before")), Integer.parseInt(required(p, key + "after"))));
      } else if ("link".equals(type)) {
        entry.addChange(LinkChange.of(required(p, key + "netdev"),
            Boolean.parseBoolean(required(p, key + "wasUp"))));
      } else {
        throw new IllegalArgumentException(key + "type: unknown change type '" + type + "'");
      }
    }
    return entry.build();
  }

  private static String required(Properties p, String key) {
    String value = p.getProperty(key);
    if (value == null) {
      throw new IllegalArgumentException("missing key " + key);
    }
    return value;
  }

  void delete(Entry entry) {
    try {
      Files.deleteIfExists(entry.file());
    } catch (IOException e) {
      throw new HostPreparationException("cannot delete the launch journal entry " + entry.file()
          + "; the next launch will check it again", e);
    }
  }
}

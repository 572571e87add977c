package org.niovirt.detect;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Single files of a host tree, read the way the detector reads them: paths relative to the root
 * ({@code sys/bus/pci/devices/0000:01:00.0/sriov_numvfs}), symlinks resolved inside the root so a
 * link never leads out of it, every read capped like the detector's, a FIFO or device never
 * opened. For host preparation, which reads the state just before it changes it: nothing is
 * cached, each call sees the tree as it is now.
 */
public final class HostFiles {
  private final Path root;

  private HostFiles(Path root) {
    this.root = root;
  }

  /**
   * The tree under {@code root}: {@code /} on a real host, a copied capture in tests, or the root
   * of another host's file system (SFTP).
   */
  public static HostFiles under(Path root) {
    return new HostFiles(root);
  }

  public Path root() {
    return root;
  }

  private RootedTree tree() {
    // The local disk's source opens without following links; other file systems (a remote host
    // over SFTP) get portable NIO calls.
    return new RootedTree(root.getFileSystem() == FileSystems.getDefault()
        ? new FileSystemSource(root) : new PathTreeSource(root));
  }

  /** The file's text without surrounding white space; empty when it does not exist. */
  public Optional<String> text(String path) throws IOException {
    try {
      return Optional.of(tree().readText(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Whether the entry exists (a dangling link exists too). */
  public boolean exists(String path) throws IOException {
    return tree().kindNoFollow(path) != EntryKind.MISSING;
  }

  /** Names in a directory, sorted; empty when it does not exist. */
  public List<String> list(String directory) throws IOException {
    try {
      return tree().list(directory);
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }

  /** The last component of where {@code path} leads, e.g. a VF's address for {@code virtfn0}. */
  public String target(String path) throws IOException {
    return RootedTree.lastComponent(tree().resolve(path));
  }

  /** The file {@code path} leads to, inside the root, for writing: links resolved, never left. */
  public Path fileToWrite(String path) throws IOException {
    return root.resolve(tree().resolve(path));
  }
}

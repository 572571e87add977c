package org.niovirt.detect;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;
import org.niovirt.api.text.Printable;

/**
 * Reads the files of one subject (a device directory, a netdev, the IOMMU) and turns every
 * problem into a message for that subject instead of an exception, so that one damaged device
 * never stops the scan.
 */
final class AttributeReader {
  private final RootedTree tree;
  private final String directory;
  private final Consumer<String> problems;
  private boolean sawMissing;
  private int problemCount;

  /** {@code directory} is a resolved path, or "" for paths from the root. */
  AttributeReader(RootedTree tree, String directory, Consumer<String> problems) {
    this.tree = tree;
    this.directory = directory;
    this.problems = problems;
  }

  String directory() {
    return directory;
  }

  /** A reader of the same directory whose problems go to {@code sink} (one per parallel task). */
  AttributeReader reportingTo(Consumer<String> sink) {
    return new AttributeReader(tree, directory, sink);
  }

  String path(String name) {
    if (name.isEmpty()) {
      return directory;
    }
    return directory.isEmpty() ? name : directory + "/" + name;
  }

  /** Whether a required file was found missing: the device may have vanished mid-scan. */
  boolean sawMissing() {
    return sawMissing;
  }

  void problem(String message) {
    problemCount++;
    problems.accept(message);
  }

  int problemCount() {
    return problemCount;
  }

  /** Whether the entry exists (a dangling link exists too); unreadable parents count as absent. */
  boolean exists(String name) {
    return exists(name, false);
  }

  /** {@link #exists(String)} for an entry that is a link when present ({@code physfn}). */
  boolean linkExists(String name) {
    return exists(name, true);
  }

  private boolean exists(String name, boolean expectLink) {
    try {
      return tree.kindNoFollow(path(name), expectLink) != EntryKind.MISSING;
    } catch (IOException e) {
      return false;
    }
  }

  /** The text of a file that may legitimately be absent: absence is no problem. */
  Optional<String> optionalText(String name) {
    return text(name, false);
  }

  /** The text of a file that must exist: absence is a problem. */
  Optional<String> requiredText(String name) {
    return text(name, true);
  }

  private Optional<String> text(String name, boolean required) {
    try {
      return Optional.of(tree.readText(path(name)));
    } catch (NoSuchFileException e) {
      if (required) {
        sawMissing = true;
        problem(name + ": missing");
      }
    } catch (IOException e) {
      problem(name + ": " + describe(e));
    }
    return Optional.empty();
  }

  /** A file whose read errors are normal, e.g. {@code speed} of a link that is down (EINVAL). */
  Optional<String> quietText(String name) {
    try {
      return Optional.of(tree.readText(path(name)));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  Optional<byte[]> bytes(String name) {
    try {
      return Optional.of(tree.read(path(name)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      problem(name + ": " + describe(e));
      return Optional.empty();
    }
  }

  /**
   * A hex number as the kernel writes ids and classes, {@code 0x8086}: without the {@code 0x}
   * the text is garbage even if it looks like hex ({@code abc}).
   */
  OptionalInt hex(String name, boolean required) {
    return text(name, required).map(text -> {
      if (!text.startsWith("0x")) {
        problem(name + ": expected a hex number such as 0x8086, read '" + abbreviate(text) + "'");
        return OptionalInt.empty();
      }
      return parse(name, text, 16);
    }).orElse(OptionalInt.empty());
  }

  /** A hex number with or without {@code 0x}: {@code sriov_vf_device} is written without. */
  OptionalInt bareHex(String name, boolean required) {
    return text(name, required).map(text -> parse(name, text, 16)).orElse(OptionalInt.empty());
  }

  OptionalInt decimal(String name, boolean required) {
    return text(name, required).map(text -> parse(name, text, 10)).orElse(OptionalInt.empty());
  }

  /** Parses text already read from {@code name}, so that a file is never read twice. */
  OptionalInt parseDecimal(String name, String text) {
    return parse(name, text, 10);
  }

  private OptionalInt parse(String name, String text, int radix) {
    String digits = radix == 16 && (text.startsWith("0x") || text.startsWith("0X"))
        ? text.substring(2) : text;
    try {
      if (radix == 16 && !digits.matches("[0-9a-fA-F]{1,8}")) {
        throw new NumberFormatException(text);
      }
      return OptionalInt.of(Integer.parseInt(digits, radix));
    } catch (NumberFormatException e) {
      problem(name + ": expected a " + (radix == 16 ? "hex" : "decimal") + " number, read '"
          + abbreviate(text) + "'");
      return OptionalInt.empty();
    }
  }

  /** The last component of the link {@code name} (a driver, a master netdev); empty if absent. */
  Optional<String> linkName(String name) {
    try {
      if (tree.kindNoFollow(path(name), true) != EntryKind.SYMLINK) {
        return Optional.empty();
      }
      return Optional.of(RootedTree.lastComponent(tree.readLink(path(name))));
    } catch (IOException e) {
      problem(name + ": " + describe(e));
      return Optional.empty();
    }
  }

  /** Entries of a subdirectory ("" for the directory itself); absent means none. */
  List<String> list(String name) {
    try {
      return tree.list(path(name));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      problem((name.isEmpty() ? directory : name) + ": " + describe(e));
      return List.of();
    }
  }

  /** Resolves a link or path below the directory; empty (with a problem) if it leads nowhere. */
  Optional<String> resolve(String name) {
    return resolve(name, false, true);
  }

  /** {@link #resolve(String)} of a link (virtfnN, a bus entry): one readlink, no separate look. */
  Optional<String> resolveLink(String name) {
    return resolve(name, true, true);
  }

  /** {@link #resolveQuietly(String)} of a link (an IOMMU group member). */
  Optional<String> resolveLinkQuietly(String name) {
    return resolve(name, true, false);
  }

  /** Resolves a path below the directory; empty, without a problem, if it leads nowhere. */
  Optional<String> resolveQuietly(String name) {
    return resolve(name, false, false);
  }

  private Optional<String> resolve(String name, boolean expectLink, boolean reportProblem) {
    try {
      return Optional.of(expectLink ? tree.resolveLink(path(name)) : tree.resolve(path(name)));
    } catch (IOException e) {
      if (reportProblem) {
        problem(name + ": " + describe(e));
      }
      return Optional.empty();
    }
  }

  /** A short reason for an I/O failure, naming the kind of damage rather than a stack trace. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) {
      String reason = ((NoSuchFileException) e).getReason();
      return reason == null ? "missing" : "missing (" + reason + ")";
    }
    if (e instanceof FileSystemLoopException) {
      return "symlink loop (more than " + RootedTree.MAX_LINKS + " links)";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory: " + e.getMessage();
    }
    return "unreadable (" + e.getClass().getSimpleName()
        + (e.getMessage() == null ? "" : ": " + Printable.escape(e.getMessage())) + ")";
  }

  /** At most 40 characters of a value read from the tree, control characters escaped. */
  static String abbreviate(String text) {
    String oneLine = text.replace('\n', ' ');
    String shortened = oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "...";
    return Printable.escape(shortened);
  }
}

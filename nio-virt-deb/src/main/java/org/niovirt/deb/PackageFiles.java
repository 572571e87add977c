package org.niovirt.deb;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.niovirt.cli.NioVirtCli;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The generated files of the Debian package, at build time.
 *
 * <ul>
 *   <li>{@code generate DIR VERSION}: {@code DIR/adoc/*.adoc}, one man page per command, and
 *       {@code DIR/completion/nio-virt}, the bash completion, both from the command model the CLI
 *       itself runs, with picocli's own generators ({@code ManPageGenerator}, {@code AutoComplete}):
 *       they cannot drift from {@code --help}. Asciidoctor then turns the pages into troff.</li>
 *   <li>{@code compress DIR VERSION}: {@code DIR/man1/*.1} to {@code DIR/man1-gz/*.1.gz} and the
 *       changelog to {@code DIR/changelog.gz}, compressed as Debian asks (best compression, no file
 *       name or time stamp in the header: {@code gzip -9n}).</li>
 * </ul>
 */
public final class PackageFiles {
  private PackageFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 3 || !List.of("generate", "compress").contains(args[0])) {
      throw new IllegalArgumentException("usage: PackageFiles generate|compress DIR DEBIAN_VERSION");
    }
    Path dir = Path.of(args[1]);
    if (args[0].equals("generate")) {
      generate(dir);
    } else {
      compress(dir, args[2]);
    }
  }

  private static void generate(Path dir) throws IOException {
    CommandLine model = NioVirtCli.commandModel();
    Path pages = Files.createDirectories(dir.resolve("adoc"));
    int status = ManPageGenerator.generateManPage(pages.toFile(), null, new boolean[0], true,
        model.getCommandSpec());
    if (status != 0) {
      throw new IllegalStateException("picocli's ManPageGenerator failed with status " + status);
    }
    Path completion = Files.createDirectories(dir.resolve("completion")).resolve("nio-virt");
    // Sourced by bash-completion, never run: no hashbang (lintian: bash-completion-with-hashbang).
    String script = AutoComplete.bash("nio-virt", model).replaceFirst("\\A#![^\n]*\n", "");
    Files.writeString(completion, script, StandardCharsets.UTF_8);
  }

  private static void compress(Path dir, String version) throws IOException {
    Path compressed = Files.createDirectories(dir.resolve("man1-gz"));
    List<Path> pages;
    try (Stream<Path> files = Files.list(dir.resolve("man1"))) {
      pages = files.filter(p -> p.getFileName().toString().endsWith(".1")).sorted().collect(Collectors.toList());
    }
    if (pages.isEmpty()) {
      throw new IllegalStateException("no man page in " + dir.resolve("man1") + " (did Asciidoctor run?)");
    }
    for (Path page : pages) {
      gzip(Files.readAllBytes(page), compressed.resolve(page.getFileName() + ".gz"));
    }
    gzip(changelog(version).getBytes(StandardCharsets.UTF_8), dir.resolve("changelog.gz"));
  }

  /** A native package's changelog: one entry for the version being built. */
  private static String changelog(String version) {
    String date = ZonedDateTime.now(ZoneOffset.UTC)
        .format(DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.ROOT));
    return "nio-virt (" + version + ") unstable; urgency=medium\n\n"
        + "  * Built by Maven from the nio-virt project (nio-virt-deb).\n\n"
        + " -- nio-virt maintainers <maintainers@users.noreply.r-seed-1d817704.example>  " + date + "\n";
  }

  /**
   * Java's gzip header carries no name and a zero time, as {@code gzip -n} writes it; its flags
   * byte is set as gzip sets it for {@code -9} (2: best compression) and the system byte to Unix
   * (3), since lintian reads the level from the header.
   */
  private static void gzip(byte[] content, Path target) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new BestGzip(bytes)) {
      out.write(content);
    }
    byte[] gzip = bytes.toByteArray();
    gzip[GZIP_XFL] = XFL_BEST_COMPRESSION;
    gzip[GZIP_OS] = OS_UNIX;
    Files.write(target, gzip);
  }

  private static final int GZIP_XFL = 8;
  private static final int GZIP_OS = 9;
  private static final byte XFL_BEST_COMPRESSION = 2;
  private static final byte OS_UNIX = 3;

  private static final class BestGzip extends GZIPOutputStream {
    BestGzip(OutputStream out) throws IOException {
      super(out);
      def.setLevel(Deflater.BEST_COMPRESSION);
    }
  }
}

package org.niovirt.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** One run of the launcher in this JVM, as a pipe would see it: exit code, stdout, stderr. */
record CliRun(int exitCode, String out, String err) {
  static final Path CAPTURES = Path.of("src/test/resources/captures");

  static CliRun of(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = NioVirtCli.execute(new NioVirtCli.Terminal(
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false), args);
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static String capture(String name) {
    return CAPTURES.resolve(name + ".tar.gz").toString();
  }

  /** stderr without the progress lines, i.e. what the user is told went wrong. */
  List<String> errorLines() {
    return Arrays.stream(err.split("\\R"))
        .filter(line -> line.startsWith("nio-virt: error: ") || line.startsWith("hint: ")
            || line.startsWith("\tat ") || line.contains("Exception"))
        .toList();
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}

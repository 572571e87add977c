package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.text.Printable;
import org.niovirt.cli.common.LaunchValues;

/**
 * Reads the body of {@code POST /api/domains} into typed {@link LaunchValues}: a JSON object whose
 * keys are the launcher's option names without dashes. Unknown keys, wrong types and host paths
 * outside the directories the operator allowed ({@code --allow-images}) are refused, naming the
 * field; a refused path is never opened, so its contents can never reach a reply.
 */
final class LaunchRequestReader {
  static final Set<String> FIELDS = new TreeSet<>(List.of("name", "nics", "vcpus", "memory", "pin",
      "exclude", "mac", "vlan", "numa-node", "min-bandwidth", "live-migration", "host-device",
      "network", "bridge", "direct", "user-net", "accel", "disk", "disk-format", "kernel", "initrd",
      "cmdline"));
  private static final int MAX_TEXT = 4096;

  private final ObjectMapper mapper;
  private final List<Path> allowedImageDirectories;

  LaunchRequestReader(ObjectMapper mapper, List<Path> allowedImageDirectories) {
    this.mapper = mapper;
    this.allowedImageDirectories = List.copyOf(allowedImageDirectories);
  }

  LaunchValues read(String body) {
    JsonNode root;
    try {
      root = mapper.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("body", abbreviate(body),
          "a JSON object of launch fields, e.g. {\"name\": \"web1\", \"nics\": 2}");
    }
    if (root == null || !root.isObject()) {
      throw new InvalidInputException("body", abbreviate(body),
          "a JSON object of launch fields, e.g. {\"name\": \"web1\", \"nics\": 2}");
    }
    Map<String, JsonNode> fields = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!FIELDS.contains(field.getKey())) {
        throw new InvalidInputException("--" + Printable.escape(abbreviate(field.getKey())),
            abbreviate(field.getValue().toString()), "not a launch field; the fields are " + FIELDS);
      }
      if (!field.getValue().isNull()) {
        fields.put(field.getKey(), field.getValue());
      }
    }
    return new LaunchValues(text(fields, "name"), integer(fields, "nics"), integer(fields, "vcpus"),
        integer(fields, "memory"), text(fields, "pin"), texts(fields, "exclude"), texts(fields, "mac"),
        integer(fields, "vlan"), integer(fields, "numa-node"), longValue(fields, "min-bandwidth"),
        bool(fields, "live-migration"), text(fields, "host-device"), text(fields, "network"),
        text(fields, "bridge"), text(fields, "direct"), bool(fields, "user-net"), text(fields, "accel"),
        image(fields, "disk"), text(fields, "disk-format"), image(fields, "kernel"),
        image(fields, "initrd"), cmdline(fields));
  }

  /** A host file the guest boots from: only inside an allowed directory, symlinks resolved first. */
  private Path image(Map<String, JsonNode> fields, String key) {
    String text = text(fields, key);
    if (text == null) {
      return null;
    }
    String field = "--" + key;
    if (allowedImageDirectories.isEmpty()) {
      throw new InvalidInputException(field, text, "host paths are not accepted from the web page;"
          + " start the dashboard with --allow-images DIR to allow images under DIR");
    }
    Path given = Path.of(text);
    if (!given.isAbsolute()) {
      throw new InvalidInputException(field, text, "an absolute path under " + allowedImageDirectories);
    }
    Path real;
    try {
      real = given.toRealPath();
    } catch (IOException e) {
      throw new InvalidInputException(field, text, "no such file under " + allowedImageDirectories);
    }
    boolean allowed = allowedImageDirectories.stream().anyMatch(real::startsWith);
    if (!allowed) {
      throw new InvalidInputException(field, text, "not under a directory the dashboard allows "
          + allowedImageDirectories + " (symlinks are followed before this check)");
    }
    if (!Files.isRegularFile(real)) {
      throw new InvalidInputException(field, text, "not a regular file");
    }
    return real;
  }

  private static String cmdline(Map<String, JsonNode> fields) {
    String text = text(fields, "cmdline");
    if (text != null && !Printable.isPrintable(text)) {
      throw new InvalidInputException("--cmdline", Printable.escape(abbreviate(text)),
          "one line of printable characters (no newlines or control characters)");
    }
    return text;
  }

  private static String text(Map<String, JsonNode> fields, String key) {
    JsonNode node = fields.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isTextual() && !node.isNumber()) {
      throw new InvalidInputException("--" + key, abbreviate(node.toString()), "a string");
    }
    String text = node.asText();
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException("--" + key, abbreviate(text), "at most " + MAX_TEXT + " characters");
    }
    return text;
  }

  private static List<String> texts(Map<String, JsonNode> fields, String key) {
    JsonNode node = fields.get(key);
    if (node == null) {
      return null;
    }
    List<String> values = new ArrayList<>();
    if (node.isArray()) {
      for (JsonNode item : node) {
        values.add(text(Map.of(key, item), key));
      }
    } else {
      for (String part : text(fields, key).split(",")) {
        values.add(part.trim());
      }
    }
    return values;
  }

  private static Integer integer(Map<String, JsonNode> fields, String key) {
    Long value = longValue(fields, key);
    if (value != null && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
      throw new InvalidInputException("--" + key, value, "a whole number");
    }
    return value == null ? null : value.intValue();
  }

  private static Long longValue(Map<String, JsonNode> fields, String key) {
    JsonNode node = fields.get(key);
    if (node == null) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return node.asLong();
    }
    if (node.isTextual() && node.asText().matches("-?[0-9]{1,18}")) {
      return Long.parseLong(node.asText());
    }
    throw new InvalidInputException("--" + key, abbreviate(node.toString()), "a whole number");
  }

  private static Boolean bool(Map<String, JsonNode> fields, String key) {
    JsonNode node = fields.get(key);
    if (node == null) {
      return null;
    }
    if (!node.isBoolean()) {
      throw new InvalidInputException("--" + key, abbreviate(node.toString()), "true or false");
    }
    return node.asBoolean();
  }

  /** At most 60 characters of what a client sent, for an error that must not echo it all. */
  static String abbreviate(String text) {
    String value = String.valueOf(text);
    return value.length() <= 60 ? value : value.substring(0, 57) + "...";
  }
}

package org.niovirt.cli.fleet;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.niovirt.api.error.InvalidInputException;

/**
 * A fleet description: a YAML file with a top-level {@code hosts} list; each host has a
 * {@code name}, a libvirt {@code uri} and optionally a {@code root} (a captured tree or snapshot to
 * plan against offline, relative to the file). Errors name the file, the line, the field
 * ({@code hosts[1].uri}) and the value. Read with Jackson's YAML parser (SnakeYAML underneath).
 */
public record FleetFile(Path path, List<Entry> hosts) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
  private static final Set<String> HOST_FIELDS = Set.of("name", "uri", "root");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One host of the file and the line it starts on. */
  public record Entry(String name, Optional<String> uri, Optional<Path> root, int line) {}

  public static FleetFile read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new InvalidInputException("--fleet", file, "cannot be read: " + e.getMessage());
    }
    Path base = file.toAbsolutePath().getParent();
    List<Entry> entries = new ArrayList<>();
    Set<String> names = new HashSet<>();
    try (JsonParser parser = YAML.getFactory().createParser(text)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw problem(file, 1, "hosts", "(none)", "a fleet file is a mapping with a 'hosts' list");
      }
      boolean sawHosts = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        int line = parser.currentLocation().getLineNr();
        if (!field.equals("hosts")) {
          throw problem(file, line, field, field, "unknown key; a fleet file has 'hosts'");
        }
        sawHosts = true;
        if (parser.nextToken() != JsonToken.START_ARRAY) {
          throw problem(file, line, "hosts", parser.getText(), "expected a list of hosts");
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          int hostLine = parser.currentLocation().getLineNr();
          JsonNode host = YAML.readTree(parser);
          entries.add(entry(file, base, entries.size(), hostLine, host, names));
        }
      }
      if (!sawHosts || entries.isEmpty()) {
        throw problem(file, 1, "hosts", "(none)", "list at least one host");
      }
    } catch (JsonProcessingException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw problem(file, line, "(yaml)", "", "not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("--fleet", file, "cannot be read: " + e.getMessage());
    }
    return new FleetFile(file, List.copyOf(entries));
  }

  private static Entry entry(Path file, Path base, int index, int line, JsonNode host, Set<String> names) {
    String prefix = "hosts[" + index + "].";
    for (Iterator<String> fields = host.fieldNames(); fields.hasNext(); ) {
      String field = fields.next();
      if (!HOST_FIELDS.contains(field)) {
        throw problem(file, line, prefix + field, field, "unknown key; a host has " + HOST_FIELDS);
      }
    }
    String name = text(host, "name").orElseThrow(() -> problem(file, line, prefix + "name", "(none)",
        "every host needs a name"));
    if (!NAME.matcher(name).matches()) {
      throw problem(file, line, prefix + "name", name, "letters, digits, '_', '.', '-', at most 63");
    }
    if (!names.add(name)) {
      throw problem(file, line, prefix + "name", name, "two hosts have this name");
    }
    Optional<String> uri = text(host, "uri");
    if (uri.isPresent()) {
      try {
        URI parsed = new URI(uri.get());
        if (parsed.getScheme() == null) {
          throw problem(file, line, prefix + "uri", uri.get(), "a libvirt URI such as qemu+ssh://root@host/system");
        }
      } catch (URISyntaxException e) {
        throw problem(file, line, prefix + "uri", uri.get(), "not a URI (" + e.getReason() + ")");
      }
    }
    Optional<Path> root = text(host, "root").map(base::resolve);
    if (root.isPresent() && !Files.exists(root.get())) {
      throw problem(file, line, prefix + "root", root.get().toString(), "no such tree or snapshot");
    }
    if (uri.isEmpty() && root.isEmpty()) {
      throw problem(file, line, prefix + "uri", "(none)", "give the host's libvirt uri, or a root to plan"
          + " against offline");
    }
    return new Entry(name, uri, root, line);
  }

  private static Optional<String> text(JsonNode host, String field) {
    JsonNode value = host.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static InvalidInputException problem(Path file, int line, String field, String value, String why) {
    return new InvalidInputException(field + " (" + file + (line > 0 ? ", line " + line : "") + ")", value, why);
  }

  /** The entry named {@code name}. */
  public Optional<Entry> host(String name) {
    return hosts.stream().filter(h -> h.name().equals(name)).findFirst();
  }
}

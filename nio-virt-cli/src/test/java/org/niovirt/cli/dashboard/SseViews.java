package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;

/** Reads the dashboard's server-sent {@code view} events as a browser's EventSource would. */
final class SseViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SseViews() {}

  /** Adds each {@code view} event's JSON to {@code views} until the stream ends or is closed. */
  static void read(InputStream body, BlockingQueue<JsonNode> views) {
    try {
      String event = null;
      BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.startsWith("event:")) {
          event = line.substring("event:".length()).trim();
        } else if (line.startsWith("data:") && "view".equals(event)) {
          views.add(JSON.readTree(line.substring("data:".length()).trim()));
        }
      }
    } catch (IOException e) {
      // The test closed the stream.
    }
  }
}

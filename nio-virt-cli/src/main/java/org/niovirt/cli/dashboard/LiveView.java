package org.niovirt.cli.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.sse.SseClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the current {@link HostView} and pushes it to every browser when it changes. It polls,
 * because libvirt's test driver does not deliver domain events to other connections and the ledger
 * must be re-read anyway: one poll a second costs a few libvirt calls.
 */
final class LiveView implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LiveView.class);
  private static final String EVENT = "view";

  private final DashboardSource source;
  private final boolean actionsEnabled;
  private final ObjectMapper mapper;
  private final Set<SseClient> clients = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "nio-virt-dashboard-poller");
    thread.setDaemon(true);
    return thread;
  });

  private long generation;
  private ObjectNode lastContent;
  private String lastProblem;
  private volatile ObjectNode current;
  private volatile DashboardSource.Observation lastObservation;

  LiveView(DashboardSource source, boolean actionsEnabled, ObjectMapper mapper) {
    this.source = source;
    this.actionsEnabled = actionsEnabled;
    this.mapper = mapper;
  }

  /** Reads once (so the first page load has data) and then every {@code interval}. */
  void start(Duration interval) {
    refresh();
    poller.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    // A comment now and then lets Jetty notice browsers that went away.
    poller.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
  }

  /** Re-reads the host and guests; broadcasts only if something changed. */
  synchronized void refresh() {
    ObjectNode content;
    String problem = null;
    try {
      DashboardSource.Observation observation = source.observe();
      lastObservation = observation;
      content = new HostView(observation.inventory(), observation.usage(), observation.guests())
          .toJson(source.connection(), actionsEnabled);
    } catch (RuntimeException e) {
      // Keep showing the last good picture, and say why it may be stale.
      LOG.warn("Could not read the host or its guests: {}", e.toString());
      LOG.debug("Read failure", e);
      if (lastContent == null) {
        throw e;
      }
      content = lastContent;
      problem = e.getMessage() == null ? e.toString() : e.getMessage();
    }
    if (content.equals(lastContent) && Objects.equals(problem, lastProblem)) {
      return;
    }
    lastContent = content;
    lastProblem = problem;
    ObjectNode stamped = content.deepCopy();
    stamped.put("generation", ++generation);
    stamped.put("updatedAt", Instant.now().toString());
    if (problem == null) {
      stamped.putNull("problem");
    } else {
      stamped.put("problem", problem);
    }
    current = stamped;
    String json = stamped.toString();
    for (SseClient client : clients) {
      send(client, json);
    }
  }

  ObjectNode current() {
    return current;
  }

  DashboardSource.Observation lastObservation() {
    return lastObservation;
  }

  void subscribe(SseClient client) {
    client.keepAlive();
    client.onClose(() -> clients.remove(client));
    clients.add(client);
    send(client, current.toString());
  }

  int subscribers() {
    return clients.size();
  }

  private void send(SseClient client, String json) {
    if (client.terminated()) {
      clients.remove(client);
      return;
    }
    try {
      client.sendEvent(EVENT, json);
    } catch (RuntimeException e) {
      LOG.debug("Dropping a browser that went away: {}", e.toString());
      clients.remove(client);
    }
  }

  private void ping() {
    for (SseClient client : clients) {
      try {
        client.sendComment("ping");
      } catch (RuntimeException e) {
        clients.remove(client);
      }
    }
  }

  ObjectMapper mapper() {
    return mapper;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    clients.forEach(SseClient::close);
    clients.clear();
  }
}

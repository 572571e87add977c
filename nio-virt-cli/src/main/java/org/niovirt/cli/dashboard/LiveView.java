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
 * Keeps the current {@link HostView} and pushes it to every browser when it changes. Driven by the
 * source's change notices (libvirt's domain events): each one schedules a look, and notices that
 * arrive while one is pending share it. A periodic look stays as the check for a missed event and
 * for hardware changes; when nothing changed it costs two libvirt calls and redraws nothing.
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

  private final java.util.concurrent.atomic.AtomicBoolean lookPending =
      new java.util.concurrent.atomic.AtomicBoolean();
  private AutoCloseable changeSubscription = () -> { };
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

  /** Reads once (so the first page load has data), then on every change notice and every {@code interval}. */
  void start(Duration interval) {
    refresh();
    changeSubscription = source.onChange(this::changed);
    poller.scheduleWithFixedDelay(this::refresh, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
    // A comment now and then lets Jetty notice browsers that went away.
    poller.scheduleWithFixedDelay(this::ping, 15, 15, TimeUnit.SECONDS);
  }

  /** A change notice (on libvirt's event thread): one look is scheduled, not one per notice. */
  private void changed() {
    if (lookPending.compareAndSet(false, true)) {
      try {
        poller.execute(() -> {
          lookPending.set(false);
          refresh();
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        lookPending.set(false); // closing
      }
    }
  }

  /** Re-reads the host and guests; broadcasts only if something changed. */
  synchronized void refresh() {
    ObjectNode content;
    String problem = null;
    try {
      DashboardSource.Observation observation = source.observe();
      if (observation == lastObservation && lastProblem == null) {
        return; // the same look as before: nothing to redraw
      }
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
    try {
      changeSubscription.close();
    } catch (Exception e) {
      LOG.debug("Could not stop the change notices: {}", e.toString());
    }
    poller.shutdownNow();
    clients.forEach(SseClient::close);
    clients.clear();
  }
}

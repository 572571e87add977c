package org.niovirt.cli.dashboard;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.NetworkFunction;
import org.niovirt.api.model.SriovCapability;
import org.niovirt.api.plan.VfSurvey;
import org.niovirt.cli.common.FailureKind;
import org.niovirt.cli.common.LaunchValues;
import org.niovirt.libvirt.xml.DomainNic;

/**
 * The dashboard's numbers for Prometheus ({@code GET /metrics}, text format), through Micrometer's
 * Prometheus registry. Gauges are taken from each host's last observation at scrape time, so they
 * are as fresh as the page; counters and timers count what this dashboard process did.
 *
 * <ul>
 *   <li>{@code niovirt_vfs{host,pf,state}}: VFs per PF by state: {@code free}, {@code held},
 *       {@code orphaned}, {@code foreign}, {@code lost}, and {@code not_created} (up to totalvfs)</li>
 *   <li>{@code niovirt_guests{host,technology,state}}: guests by the technology of their NICs (a
 *       guest with two technologies counts under each) and libvirt state</li>
 *   <li>{@code niovirt_launches_total{host,result,kind}}: launches through the dashboard, failures
 *       by kind ({@code invalid_input}, {@code planning_impossible}, {@code libvirt}, {@code runtime})</li>
 *   <li>{@code niovirt_launch_duration_seconds}, {@code niovirt_detection_duration_seconds}</li>
 * </ul>
 */
public final class DashboardMetrics {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge vfs = MultiGauge.builder("niovirt.vfs")
      .description("SR-IOV virtual functions per physical function, by state")
      .register(registry);
  private final MultiGauge guests = MultiGauge.builder("niovirt.guests")
      .description("Guests by the technology of their NICs and by libvirt state").register(registry);

  /** The hardware read of {@code host}, timed. */
  public Supplier<HostInventory> timedDetection(String host, Supplier<HostInventory> detection) {
    Timer timer = Timer.builder("niovirt.detection.duration")
        .description("Time to detect a host's network cards and I/O virtualization support")
        .tag("host", host).register(registry);
    return () -> timer.record(detection);
  }

  /** {@code actions} with each launch counted (by outcome and failure kind) and timed. */
  GuestActions metered(String host, GuestActions actions) {
    return new GuestActions() {
      @Override
      public String launch(LaunchValues values) {
        long started = System.nanoTime();
        String result = "ok";
        String kind = "none";
        try {
          return actions.launch(values);
        } catch (RuntimeException e) {
          result = "failed";
          kind = FailureKind.of(e).name().toLowerCase(Locale.ROOT);
          throw e;
        } finally {
          Timer.builder("niovirt.launch.duration").description("Time to plan, prepare and start a guest")
              .tags("host", host, "result", result).register(registry)
              .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
          Counter.builder("niovirt.launches").description("Guest launches through the dashboard")
              .tags("host", host, "result", result, "kind", kind).register(registry).increment();
        }
      }

      @Override
      public String stop(String name) {
        return actions.stop(name);
      }
    };
  }

  /** The text exposition of every metric, gauges computed from {@code observations} by host name. */
  String scrape(Map<String, DashboardSource.Observation> observations) {
    List<MultiGauge.Row<?>> vfRows = new ArrayList<>();
    List<MultiGauge.Row<?>> guestRows = new ArrayList<>();
    observations.forEach((host, observation) -> {
      vfCounts(observation).forEach((key, count) ->
          vfRows.add(MultiGauge.Row.of(Tags.of("host", host, "pf", key[0], "state", key[1]), count)));
      guestCounts(observation).forEach((key, count) -> guestRows.add(
          MultiGauge.Row.of(Tags.of("host", host, "technology", key[0], "state", key[1]), count)));
    });
    vfs.register(vfRows, true);
    guests.register(guestRows, true);
    return registry.scrape();
  }

  private static Map<String[], Integer> vfCounts(DashboardSource.Observation observation) {
    Map<String[], Integer> counts = new TreeMap<>(DashboardMetrics::compareKeys);
    HostInventory inventory = observation.inventory();
    for (NetworkFunction pf : inventory.sriovFunctions()) {
      SriovCapability sriov = pf.sriov().orElseThrow();
      String address = pf.address().toString();
      for (String state : List.of("free", "held", "orphaned", "foreign", "lost")) {
        counts.put(new String[] {address, state}, 0);
      }
      int present = Math.max(sriov.numVfs(), sriov.vfs().size());
      counts.put(new String[] {address, "not_created"}, Math.max(0, sriov.totalVfs() - present));
    }
    for (VfSurvey.Entry entry : VfSurvey.survey(inventory, observation.usage())) {
      counts.merge(new String[] {entry.physicalFunction().toString(), entry.condition().label()}, 1, Integer::sum);
    }
    return counts;
  }

  private static Map<String[], Integer> guestCounts(DashboardSource.Observation observation) {
    Map<String[], Integer> counts = new TreeMap<>(DashboardMetrics::compareKeys);
    for (GuestView guest : observation.guests()) {
      String state = guest.state().toLowerCase(Locale.ROOT).replace(' ', '_');
      guest.nics().stream().map(DomainNic::technology).distinct()
          .forEach(technology -> counts.merge(new String[] {technology, state}, 1, Integer::sum));
      if (guest.nics().isEmpty()) {
        counts.merge(new String[] {"none", state}, 1, Integer::sum);
      }
    }
    return counts;
  }

  private static int compareKeys(String[] a, String[] b) {
    int first = a[0].compareTo(b[0]);
    return first != 0 ? first : a[1].compareTo(b[1]);
  }
}

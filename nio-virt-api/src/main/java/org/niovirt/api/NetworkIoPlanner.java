package org.niovirt.api;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import org.niovirt.api.error.InvalidInputException;
import org.niovirt.api.error.PlanningException;
import org.niovirt.api.error.ProviderConfigurationException;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.model.MacAddress;
import org.niovirt.api.model.PciAddress;
import org.niovirt.api.plan.DeviceUsage;
import org.niovirt.api.plan.GuestNetworkPlan;
import org.niovirt.api.plan.HostAction;
import org.niovirt.api.plan.ImmutableGuestNetworkPlan;
import org.niovirt.api.plan.NicAssignment;
import org.niovirt.api.plan.NicExplanation;
import org.niovirt.api.plan.Verdict;
import org.niovirt.api.plan.Verdict.Outcome;
import org.niovirt.api.request.GuestNetworkRequest;
import org.niovirt.api.request.NicRequest;
import org.niovirt.api.request.PlannerPolicy;
import org.niovirt.api.request.RequestValidator;
import org.niovirt.api.request.Technology;
import org.niovirt.api.spi.NetworkIoProvider;
import org.niovirt.api.spi.PlanningContext;
import org.niovirt.api.spi.Proposal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the network I/O technology of every guest NIC: asks each provider, ranks the feasible
 * answers by the {@link PlannerPolicy}, and explains every verdict. Thread-safe and side-effect
 * free: it never touches the host.
 *
 * <pre>{@code
 * NetworkIoPlanner planner = NetworkIoPlanner.create();          // providers via ServiceLoader
 * GuestNetworkPlan plan = planner.plan(inventory, request, usage);
 * }</pre>
 */
public final class NetworkIoPlanner {
  private static final Logger LOG = LoggerFactory.getLogger(NetworkIoPlanner.class);

  private final Map<Technology, NetworkIoProvider> providers;
  private final PlannerPolicy policy;
  /** The policy's order, then the technologies it leaves out (shown as excluded): fixed per planner. */
  private final List<Technology> ranked;

  private NetworkIoPlanner(Map<Technology, NetworkIoProvider> providers, PlannerPolicy policy) {
    this.providers = new EnumMap<>(providers);
    this.policy = policy;
    this.ranked = rankedTechnologies(policy);
  }

  /** A planner with every provider that {@link ServiceLoader} finds and the default policy. */
  public static NetworkIoPlanner create() {
    return builder().loadProviders().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<Technology, NetworkIoProvider> providers() {
    return new EnumMap<>(providers);
  }

  public PlannerPolicy policy() {
    return policy;
  }

  public GuestNetworkPlan plan(HostInventory inventory, GuestNetworkRequest request) {
    return plan(inventory, request, DeviceUsage.empty());
  }

  /** Plans one guest; {@code usage} holds the devices that defined domains already have. */
  public GuestNetworkPlan plan(
      HostInventory inventory, GuestNetworkRequest request, DeviceUsage usage) {
    return planAll(inventory, List.of(request), usage).get(0);
  }

  /**
   * Plans several guests together, all or nothing: either every guest gets a plan and no device is
   * given twice, or a {@link PlanningException} says which guest and NIC could not be served.
   */
  public List<GuestNetworkPlan> planAll(
      HostInventory inventory, List<GuestNetworkRequest> requests, DeviceUsage usage) {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      RequestValidator.validate(requests.get(i));
      if (!names.add(requests.get(i).guestName())) {
        throw new InvalidInputException("requests[" + i + "].guestName",
            requests.get(i).guestName(), "two guests of one batch have the same name");
      }
    }
    List<PlannedGuest> planned = new ArrayList<>();
    DeviceUsage current = usage;
    for (GuestNetworkRequest request : requests) {
      PlannedGuest guest = planGuest(inventory, request, current);
      planned.add(guest);
      current = guest.usageAfter();
    }
    return withHostActions(planned);
  }

  /**
   * A guest's plan, the host actions its chosen proposals need (not merged yet), and the usage
   * that includes it (built NIC by NIC, never copied again).
   */
  private record PlannedGuest(GuestNetworkPlan plan, List<HostAction> hostActions, DeviceUsage usageAfter) {}

  /** Two NICs with one MAC on a network break both: a MAC the host already carries is refused. */
  private static void requireMacFree(HostInventory inventory, Optional<MacAddress> mac) {
    if (mac.isPresent()) {
      inventory.macCarrier(mac.get()).ifPresent(carrier -> {
        throw new InvalidInputException("mac", mac.get().toString(), "already carried by " + carrier
            + " on this host; choose another MAC or leave it to libvirt");
      });
    }
  }

  private PlannedGuest planGuest(
      HostInventory inventory, GuestNetworkRequest request, DeviceUsage usage) {
    List<NicAssignment> assignments = new ArrayList<>();
    List<NicExplanation> explanations = new ArrayList<>();
    List<HostAction> hostActions = new ArrayList<>();
    DeviceUsage current = usage;
    int nicIndex = 0;
    for (NicRequest nic : request.nics()) {
      for (int n = 0; n < nic.count(); n++, nicIndex++) {
        Optional<MacAddress> mac =
            n < nic.macs().size() ? Optional.of(nic.macs().get(n)) : Optional.empty();
        requireMacFree(inventory, mac);
        PlanningContext context = PlanningContext.builder()
            .inventory(inventory).policy(policy).usage(current)
            .guestName(request.guestName()).vcpus(request.vcpus())
            .nicIndex(nicIndex).nic(nic).mac(mac)
            .build();
        List<Verdict> verdicts = new ArrayList<>(ranked.size());
        NicAssignment chosen = null;
        for (Technology technology : ranked) {
          Verdict verdict;
          Optional<String> exclusion = exclusion(technology, nic);
          if (exclusion.isPresent()) {
            verdict = Verdict.of(technology, Outcome.EXCLUDED, exclusion.get());
          } else {
            Proposal proposal = safePropose(providers.get(technology), context);
            if (!proposal.feasible()) {
              verdict = Verdict.of(technology, Outcome.REJECTED, proposal.lazyReason());
            } else if (chosen == null) {
              chosen = proposal.assignment().get();
              hostActions.addAll(proposal.hostActions());
              verdict = Verdict.of(technology, Outcome.CHOSEN, proposal.reason());
            } else {
              verdict = Verdict.of(technology, Outcome.FEASIBLE, proposal.reason());
            }
          }
          verdicts.add(verdict);
        }
        if (chosen == null) {
          throw unplannable(request.guestName(), nicIndex, nic, verdicts);
        }
        NicExplanation explained = NicExplanation.builder()
            .nicIndex(nicIndex).chosen(chosen.technology()).verdicts(verdicts).build();
        assignments.add(chosen);
        explanations.add(explained);
        current = current.with(request.guestName(), chosen);
      }
    }
    GuestNetworkPlan plan = GuestNetworkPlan.builder()
        .guestName(request.guestName())
        .assignments(assignments)
        .explanations(explanations)
        .build();
    return new PlannedGuest(plan, hostActions, current);
  }

  private static List<Technology> rankedTechnologies(PlannerPolicy policy) {
    List<Technology> ranked = new ArrayList<>(policy.order());
    for (Technology t : Technology.values()) {
      if (!ranked.contains(t)) {
        ranked.add(t);
      }
    }
    return List.copyOf(ranked);
  }

  private Optional<String> exclusion(Technology technology, NicRequest nic) {
    if (!policy.order().contains(technology)) {
      return Optional.of("the host policy leaves " + technology + " out");
    }
    if (nic.pinned().isPresent() && nic.pinned().get() != technology) {
      return Optional.of("the request pins " + nic.pinned().get());
    }
    if (nic.excluded().contains(technology)) {
      return Optional.of("the request excludes " + technology);
    }
    if (!providers.containsKey(technology)) {
      return Optional.of("no provider for " + technology + " is installed (add nio-virt-"
          + technology.id() + " to the class path)");
    }
    if (nic.liveMigration() && !providers.get(technology).migratable()) {
      return Optional.of("the guest must live-migrate, and a host device cannot migrate");
    }
    return Optional.empty();
  }

  /** Providers are third-party code: their failures and mistakes become rejections, not plans. */
  private Proposal safePropose(NetworkIoProvider provider, PlanningContext context) {
    Proposal proposal;
    try {
      proposal = provider.propose(context);
    } catch (RuntimeException e) {
      LOG.warn("Provider {} failed on NIC {} of {}", provider.getClass().getName(),
          context.nicIndex(), context.guestName(), e);
      return Proposal.reject("provider " + provider.getClass().getName() + " failed: " + e);
    }
    if (proposal == null || !proposal.feasible()) {
      return proposal == null ? Proposal.reject("provider returned nothing") : proposal;
    }
    NicAssignment assignment = proposal.assignment().get();
    HostInventory inventory = context.inventory();
    if (assignment.technology() != provider.technology() || assignment.nicIndex() != context.nicIndex()) {
      return Proposal.reject("provider proposed a " + assignment.technology() + " assignment for NIC "
          + assignment.nicIndex() + " (a provider bug)");
    }
    for (PciAddress device : assignment.devices()) {
      if (!inventory.knownAddresses().contains(device)) {
        return Proposal.reject("provider proposed " + device + ", which this host does not have");
      }
      if (inventory.managementFunctions().contains(device)) {
        return Proposal.reject("provider proposed " + device + ", the host's management NIC");
      }
      Optional<String> holder = context.usage().holder(device);
      if (holder.isPresent()) {
        return Proposal.reject("provider proposed " + device + ", already held by " + holder.get());
      }
    }
    return proposal;
  }

  private static PlanningException unplannable(
      String guest, int nicIndex, NicRequest nic, List<Verdict> verdictList) {
    List<String> verdicts = verdictList.stream().map(Verdict::describe).toList();
    String what = nic.pinned().map(t -> "the pinned technology " + t + " is not feasible")
        .orElse("no technology is feasible");
    String hint = nic.pinned().isPresent()
        ? "unpin the NIC or fix the host as the verdict says."
        : "allow virtio (it needs no host device) or fix the host as the verdicts say.";
    return new PlanningException(guest, nicIndex, "guest " + guest + ", nic " + nicIndex + ": " + what
        + " (" + String.join("; ", verdicts) + ")", verdicts, hint);
  }

  /**
   * Gives each guest the host actions its NICs' proposals asked for, merged across the batch:
   * actions that change the same thing (one PF's {@code sriov_numvfs}, one link) become one,
   * done for the first guest that needs it, so later guests find their VFs made and untouched.
   * Writing {@code sriov_numvfs} re-creates every VF of the PF, so it must happen once.
   */
  private static List<GuestNetworkPlan> withHostActions(List<PlannedGuest> guests) {
    Map<Object, HostAction> merged = new LinkedHashMap<>();
    Map<Object, Integer> firstGuest = new HashMap<>();
    for (int g = 0; g < guests.size(); g++) {
      for (HostAction action : guests.get(g).hostActions) {
        merged.merge(action.mergeKey(), action, HostAction::mergedWith);
        firstGuest.putIfAbsent(action.mergeKey(), g);
      }
    }
    List<List<HostAction>> byGuest = new ArrayList<>();
    guests.forEach(guest -> byGuest.add(new ArrayList<>()));
    merged.forEach((key, action) -> byGuest.get(firstGuest.get(key)).add(action));
    List<GuestNetworkPlan> plans = new ArrayList<>();
    for (int g = 0; g < guests.size(); g++) {
      List<HostAction> actions = byGuest.get(g);
      actions.sort(Comparator.comparingInt(HostAction::stage)); // stable: plan order within a stage
      GuestNetworkPlan plan = guests.get(g).plan;
      // Most guests of a batch get no merged action: their plan stands as built, not copied.
      plans.add(actions.isEmpty() && plan.hostActions().isEmpty() ? plan
          : ImmutableGuestNetworkPlan.copyOf(plan).withHostActions(actions));
    }
    return List.copyOf(plans);
  }


  /**
   * Collects providers from {@link ServiceLoader} and explicit registration, like Jdbi's
   * {@code installPlugins()} beside {@code installPlugin(...)}.
   */
  public static final class Builder {
    private static final String EXPLICIT = "explicit registration";
    private final Map<Technology, NetworkIoProvider> providers = new EnumMap<>(Technology.class);
    /** Technologies whose provider was registered explicitly, whichever came first. */
    private final Set<Technology> explicit = java.util.EnumSet.noneOf(Technology.class);
    private final List<String> loadFailures = new ArrayList<>();
    private PlannerPolicy policy = PlannerPolicy.defaults();

    private Builder() {}

    /** Adds every provider the context class loader's {@link ServiceLoader} finds. */
    public Builder loadProviders() {
      ClassLoader loader = Thread.currentThread().getContextClassLoader();
      return loadProviders(loader != null ? loader : NetworkIoPlanner.class.getClassLoader());
    }

    /**
     * Adds every provider found by {@link ServiceLoader} in {@code classLoader}. A provider that
     * fails to load is logged and skipped, so one broken jar does not hide the others.
     */
    public Builder loadProviders(ClassLoader classLoader) {
      Iterator<NetworkIoProvider> found =
          ServiceLoader.load(NetworkIoProvider.class, classLoader).iterator();
      // Bounded: a broken iterator must not spin forever on the same failing entry.
      for (int attempts = 0; attempts < 1000; attempts++) {
        try {
          if (!found.hasNext()) {
            break;
          }
          add(found.next(), "ServiceLoader");
        } catch (ServiceConfigurationError e) {
          LOG.warn("A NetworkIoProvider failed to load and is skipped: {}", e.getMessage(), e);
          loadFailures.add(e.getMessage());
        }
      }
      return this;
    }

    /**
     * Registers a provider explicitly. It wins over a ServiceLoader copy of the same class, whether
     * registered before or after {@link #loadProviders()}; another class for the same technology
     * is an error.
     */
    public Builder provider(NetworkIoProvider provider) {
      return add(provider, EXPLICIT);
    }

    public Builder policy(PlannerPolicy policy) {
      this.policy = policy;
      return this;
    }

    private Builder add(NetworkIoProvider provider, String origin) {
      Technology technology = provider.technology();
      NetworkIoProvider existing = providers.get(technology);
      boolean isExplicit = origin.equals(EXPLICIT);
      if (existing == null) {
        providers.put(technology, provider);
        if (isExplicit) {
          explicit.add(technology);
        }
      } else if (existing.getClass() == provider.getClass()) {
        // The caller's own instance (perhaps configured) beats the one ServiceLoader made.
        if (isExplicit && explicit.add(technology)) {
          providers.put(technology, provider);
        }
        LOG.debug("Provider {} registered again by {}; keeping the {}", provider.getClass(), origin,
            explicit.contains(technology) ? "explicitly registered one" : "first");
      } else {
        throw new ProviderConfigurationException("Two providers claim technology " + technology
            + ": " + existing.getClass().getName() + " and " + provider.getClass().getName()
            + " (from " + origin + ")", "keep one of them on the class path, or build the"
            + " planner with NetworkIoPlanner.builder().provider(...) without loadProviders().");
      }
      return this;
    }

    public NetworkIoPlanner build() {
      if (providers.isEmpty()) {
        String failures = loadFailures.isEmpty() ? ""
            : " " + loadFailures.size() + " failed to load: " + String.join("; ", loadFailures) + ".";
        throw new ProviderConfigurationException("No NetworkIoProvider found." + failures,
            "put nio-virt-virtio (and nio-virt-vtd, nio-virt-sriov) on the class path,"
            + " or register one with NetworkIoPlanner.builder().provider(...).");
      }
      return new NetworkIoPlanner(providers, policy);
    }
  }
}

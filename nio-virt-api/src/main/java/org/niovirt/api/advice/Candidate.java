package org.niovirt.api.advice;

import java.util.function.UnaryOperator;
import org.niovirt.api.model.HostInventory;
import org.niovirt.api.plan.DeviceUsage;

/**
 * A host change the {@link Advisor} may propose, and what it does to the facts the planner reads:
 * the inventory (a kernel word, a driver) and the devices defined domains hold (a guest removed).
 */
record Candidate(Remedy remedy, UnaryOperator<HostInventory> host, UnaryOperator<DeviceUsage> usage) {}

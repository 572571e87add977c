package org.niovirt.cli.common;

import java.nio.file.Path;
import java.util.List;

/**
 * A guest as the dashboard's launch action takes it: a fixed, typed set of values, never a command
 * line. Null means "the launcher's default". Host paths ({@code disk}, {@code kernel},
 * {@code initrd}) must already have been checked against the directories the operator allowed;
 * there is no serial log, since writing files on the host is not for a web page.
 */
public record LaunchValues(String name, Integer nics, Integer vcpus, Integer memoryMiB, String pin,
    List<String> exclude, List<String> macs, Integer vlan, Integer numaNode, Long minBandwidthMbps,
    Boolean liveMigration, String hostDevice, String network, String bridge, String direct,
    Boolean userNet, String accel, Path disk, String diskFormat, Path kernel, Path initrd,
    String cmdline) {}

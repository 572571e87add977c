/**
 * Turns plans into running libvirt guests: {@link org.niovirt.libvirt.GuestSpec} and
 * {@link org.niovirt.libvirt.DomainXmlWriter} make the domain XML, {@link
 * org.niovirt.libvirt.LibvirtHost} prepares the host, defines and starts the guest under a
 * host-wide lock, and reads the device ledger back from libvirt.
 */
@NioVirtStyle
package org.niovirt.libvirt;

import org.niovirt.api.style.NioVirtStyle;

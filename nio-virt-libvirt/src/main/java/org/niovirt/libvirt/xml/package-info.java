/**
 * A typed model of the libvirt domain XML that nio-virt writes and reads back, in the spirit of
 * libvirt-go-xml: one value type per element, variants where libvirt's {@code type} attribute
 * selects the content, and {@link org.niovirt.libvirt.xml.DomainXmlCodec} to convert from and to
 * text through the JDK's XML APIs (never by string concatenation).
 */
@NioVirtStyle
package org.niovirt.libvirt.xml;

import org.niovirt.api.style.NioVirtStyle;

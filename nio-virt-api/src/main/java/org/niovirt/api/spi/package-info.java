/** The provider SPI: one {@link org.niovirt.api.spi.NetworkIoProvider} per technology, found by ServiceLoader. */
@NioVirtStyle
package org.niovirt.api.spi;

import org.niovirt.api.style.NioVirtStyle;

/** What a user asks for: the guest and its NICs. */
@NioVirtStyle
package org.niovirt.api.request;

import org.niovirt.api.style.NioVirtStyle;

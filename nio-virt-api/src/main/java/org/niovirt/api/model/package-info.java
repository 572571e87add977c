/** Host inventory: what nio-virt knows about the host's network functions and IOMMU. */
@NioVirtStyle
package org.niovirt.api.model;

import org.niovirt.api.style.NioVirtStyle;

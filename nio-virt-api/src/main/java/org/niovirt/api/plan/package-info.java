/** Plans: immutable answers of the planner, with the reasons for every choice. */
@NioVirtStyle
package org.niovirt.api.plan;

import org.niovirt.api.style.NioVirtStyle;

/** Exceptions; a leaf package so that every other package may use it without cycles. */
package org.niovirt.api.error;

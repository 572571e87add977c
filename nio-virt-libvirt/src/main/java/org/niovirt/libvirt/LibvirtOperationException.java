package org.niovirt.libvirt;

import java.util.Optional;
import org.libvirt.Error;
import org.libvirt.LibvirtException;
import org.niovirt.api.error.NioVirtException;

/** A libvirt call failed; carries libvirt's own error code and message. */
public final class LibvirtOperationException extends NioVirtException {
  private final String operation;
  private final Error.ErrorNumber errorNumber;
  private final String libvirtMessage;

  public LibvirtOperationException(String operation, LibvirtException cause) {
    super(describe(operation, cause), cause);
    this.operation = operation;
    Error error = cause.getError();
    this.errorNumber = error == null ? null : error.getCode();
    this.libvirtMessage = error == null || error.getMessage() == null
        ? String.valueOf(cause.getMessage()) : error.getMessage();
  }

  private static String describe(String operation, LibvirtException cause) {
    Error error = cause.getError();
    String code = error == null || error.getCode() == null ? "no error code" : error.getCode().name();
    String message = error == null || error.getMessage() == null ? cause.getMessage() : error.getMessage();
    return operation + " failed: " + message + " (" + code + ")";
  }

  /** What nio-virt was doing, e.g. {@code define domain web1}. */
  public String operation() {
    return operation;
  }

  /** libvirt's error number, e.g. {@code VIR_ERR_NO_DOMAIN}. */
  public Optional<Error.ErrorNumber> errorNumber() {
    return Optional.ofNullable(errorNumber);
  }

  /** The error number's name, or {@code UNKNOWN} when libvirt gave none. */
  public String errorCode() {
    return errorNumber == null ? "UNKNOWN" : errorNumber.name();
  }

  /** libvirt's message, as {@code virsh} would print it. */
  public String libvirtMessage() {
    return libvirtMessage;
  }

  public boolean isNoDomain() {
    return errorNumber == Error.ErrorNumber.VIR_ERR_NO_DOMAIN;
  }
}

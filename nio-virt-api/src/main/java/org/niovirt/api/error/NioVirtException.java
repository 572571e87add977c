package org.niovirt.api.error;

/** Root of every exception nio-virt throws on purpose. */
public class NioVirtException extends RuntimeException {
  public NioVirtException(String message) {
    super(message);
  }

  public NioVirtException(String message, Throwable cause) {
    super(message, cause);
  }
}

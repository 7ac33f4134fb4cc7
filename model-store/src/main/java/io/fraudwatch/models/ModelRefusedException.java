package io.fraudwatch.models;

/**
 * The store refuses the request and has changed nothing: a conflict, an invalid version, a tampered
 * file.
 */
public class ModelRefusedException extends ModelStoreException {
  public ModelRefusedException(String message) {
    super(message);
  }

  public ModelRefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

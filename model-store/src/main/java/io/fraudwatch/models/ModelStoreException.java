package io.fraudwatch.models;

/** Base of the model store's failures that callers are expected to handle. */
public class ModelStoreException extends RuntimeException {
  public ModelStoreException(String message) {
    super(message);
  }

  public ModelStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.fraudwatch.models;

/** The version (or model) asked for does not exist. */
public class ModelNotFoundException extends ModelStoreException {
  public ModelNotFoundException(String message) {
    super(message);
  }
}

package io.fraudwatch.models;

import java.util.List;

/** A version the store will not write, with every reason found. */
public class InvalidModelException extends ModelRefusedException {
  private final List<String> problems;

  public InvalidModelException(String modelName, List<String> problems) {
    super("refusing to store a version of " + modelName + ": " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}

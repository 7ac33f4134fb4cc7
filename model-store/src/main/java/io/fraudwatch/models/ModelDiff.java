package io.fraudwatch.models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Two versions side by side: weights (by feature name, bias last in name as {@value #BIAS}) and
 * metrics, each list ordered by the size of the change, largest first. A row present on one side
 * only (a feature or metric the other lacks) counts as the largest change of all.
 */
public record ModelDiff(ModelContent a, ModelContent b, List<Row> weights, List<Row> metrics) {

  public static final String BIAS = "(bias)";

  /** One named value in A and B; a side is empty when that version does not have it. */
  public record Row(String name, OptionalDouble a, OptionalDouble b) {

    /** {@code b - a}, empty when a side is missing. */
    public OptionalDouble change() {
      return a.isPresent() && b.isPresent()
          ? OptionalDouble.of(b.getAsDouble() - a.getAsDouble())
          : OptionalDouble.empty();
    }

    double magnitude() {
      return change().isPresent() ? Math.abs(change().getAsDouble()) : Double.POSITIVE_INFINITY;
    }
  }

  private static final Comparator<Row> LARGEST_CHANGE_FIRST =
      Comparator.comparingDouble(Row::magnitude).reversed().thenComparing(Row::name);

  public static ModelDiff of(ModelContent a, ModelContent b) {
    return new ModelDiff(
        a, b, rows(namedWeights(a), namedWeights(b)), rows(a.metrics(), b.metrics()));
  }

  /** A version's weights keyed by feature name, the bias last. */
  public static Map<String, Double> namedWeights(ModelContent c) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<String> names = c.schema().names();
    for (int i = 0; i < names.size() && i < c.weights().size(); i++) {
      out.put(names.get(i), c.weights().get(i));
    }
    out.put(BIAS, c.bias());
    return out;
  }

  private static List<Row> rows(Map<String, Double> a, Map<String, Double> b) {
    Set<String> names = new LinkedHashSet<>(a.keySet());
    names.addAll(b.keySet());
    List<Row> rows = new ArrayList<>();
    for (String name : names) {
      rows.add(new Row(name, optional(a.get(name)), optional(b.get(name))));
    }
    rows.sort(LARGEST_CHANGE_FIRST);
    return List.copyOf(rows);
  }

  private static OptionalDouble optional(Double v) {
    return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
  }
}

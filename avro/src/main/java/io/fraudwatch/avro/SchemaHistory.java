package io.fraudwatch.avro;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaParseException;

/**
 * The writer schemas that consumers must keep decoding, per record type: every released version of
 * each contract, oldest first. {@link AvroCodec} registers them, so a record written with any of
 * them decodes into the current generated class; the build checks each against the current schema
 * in both directions.
 *
 * <p>A history is listed by an index resource: one {@code .avsc} path per line, relative to the
 * index's folder ({@code #} starts a comment). Each file is a standalone schema parsed on its own,
 * so versions of the same record name do not clash.
 */
public final class SchemaHistory {
  /** Every released version of Transaction, Label and Alert, shipped in this module's jar. */
  public static final String BUNDLED_INDEX = "io/fraudwatch/avro/history/index.txt";

  private final Map<String, List<Schema>> versionsByFullName;

  private SchemaHistory(Map<String, List<Schema>> versionsByFullName) {
    this.versionsByFullName = versionsByFullName;
  }

  public static SchemaHistory bundled() {
    return load(SchemaHistory.class.getClassLoader(), BUNDLED_INDEX);
  }

  /** Schemas in the order given, which is taken as oldest first within each record name. */
  public static SchemaHistory of(Collection<Schema> schemas) {
    Map<String, List<Schema>> byName = new LinkedHashMap<>();
    for (Schema schema : schemas) {
      if (schema.getType() != Schema.Type.RECORD) {
        throw new IllegalArgumentException(
            "schema history holds records only, got " + schema.getType() + ": " + schema);
      }
      byName.computeIfAbsent(schema.getFullName(), name -> new ArrayList<>()).add(schema);
    }
    byName.replaceAll((name, versions) -> List.copyOf(versions));
    return new SchemaHistory(Map.copyOf(byName));
  }

  /**
   * Loads the history listed by {@code indexResource}.
   *
   * @throws IllegalStateException if the index or a schema it lists is missing or does not parse
   */
  public static SchemaHistory load(ClassLoader loader, String indexResource) {
    String folder =
        indexResource.contains("/")
            ? indexResource.substring(0, indexResource.lastIndexOf('/') + 1)
            : "";
    List<Schema> schemas = new ArrayList<>();
    for (String entry : readIndex(loader, indexResource)) {
      String resource = folder + entry;
      try (InputStream in = open(loader, resource, "schema listed in " + indexResource)) {
        schemas.add(new Schema.Parser().parse(in));
      } catch (IOException | SchemaParseException e) {
        throw new IllegalStateException(
            "cannot parse schema "
                + resource
                + " listed in "
                + indexResource
                + ": "
                + e.getMessage(),
            e);
      }
    }
    return of(schemas);
  }

  /**
   * Known versions of the record {@code fullName} (e.g. {@code io.fraudwatch.avro.Transaction}),
   * oldest first.
   */
  public List<Schema> versionsOf(String fullName) {
    return versionsByFullName.getOrDefault(fullName, List.of());
  }

  public Set<String> recordNames() {
    return versionsByFullName.keySet();
  }

  /**
   * What stops {@code current} from reading each known version of its record (backward) or each of
   * those versions from reading {@code current} (forward); empty when fully compatible.
   */
  public List<String> incompatibilitiesWith(Schema current) {
    List<String> problems = new ArrayList<>();
    List<Schema> versions = versionsOf(current.getFullName());
    for (int i = 0; i < versions.size(); i++) {
      String version = current.getName() + " history entry " + (i + 1);
      problems.addAll(readProblems(current, versions.get(i), "current cannot read " + version));
      problems.addAll(readProblems(versions.get(i), current, version + " cannot read current"));
    }
    return problems;
  }

  /** Why {@code reader} cannot resolve data written with {@code writer}; empty when it can. */
  static List<String> readProblems(Schema reader, Schema writer, String context) {
    SchemaCompatibility.SchemaPairCompatibility pair =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (pair.getType() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    return pair.getResult().getIncompatibilities().stream()
        .map(i -> context + ": " + i.getType() + " at " + i.getLocation() + ": " + i.getMessage())
        .toList();
  }

  private static List<String> readIndex(ClassLoader loader, String indexResource) {
    try (InputStream in = open(loader, indexResource, "schema history index");
        BufferedReader lines =
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return lines
          .lines()
          .map(line -> line.replaceFirst("#.*", "").strip())
          .filter(line -> !line.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read schema history index " + indexResource, e);
    }
  }

  private static InputStream open(ClassLoader loader, String resource, String what) {
    InputStream in = loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException(what + " not found on the classpath: " + resource);
    }
    return in;
  }
}

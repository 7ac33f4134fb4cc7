package io.fraudwatch.scoring.job;

import io.fraudwatch.config.Secret;
import io.fraudwatch.config.Settings;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * A file that holds a secret (or a certificate or key store), named where it crosses JVMs instead
 * of its content: the driver and each executor read it themselves. It is found at its path if that
 * exists in this JVM, else among the files shipped with {@code spark-submit --files} under its file
 * name ({@link SparkFiles#get}), so the same settings work in-process, on one machine and on a
 * cluster.
 */
public record SecretFile(String path) implements Serializable {

  public SecretFile {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("a secret file needs a path");
    }
  }

  /**
   * The file a secret was read from; a secret from the environment is written to an owner-only
   * temporary file (deleted when this JVM exits), which in-process runs find. On a cluster give
   * secrets as files.
   */
  public static SecretFile of(Secret secret) {
    Optional<Path> file = secret.file();
    if (file.isPresent()) {
      return new SecretFile(file.get().toAbsolutePath().toString());
    }
    try {
      Path tmp =
          Files.createTempFile(
              "fraudwatch-secret-",
              "",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      tmp.toFile().deleteOnExit();
      Files.writeString(tmp, secret.reveal(), StandardCharsets.UTF_8);
      return new SecretFile(tmp.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the secret from " + secret.source() + " to a temporary file", e);
    }
  }

  /**
   * The secret {@code key} as configured, read by nobody yet: its {@code <key>-file} path as given
   * (each JVM reads it, at that path or among the spark-submit --files), else its environment
   * variable written to an owner-only temporary file; null when neither is set. For spark-submit:
   * {@code --files /etc/fw/job.password} with {@code jdbc.password-file=/etc/fw/job.password}.
   */
  public static SecretFile configured(Settings settings, String key) {
    Optional<Path> file = settings.secretFile(key);
    if (file.isPresent()) {
      return new SecretFile(file.get().toString());
    }
    return settings.secret(key).map(SecretFile::of).orElse(null);
  }

  /** Where this JVM finds the file. */
  public Path locate() {
    Path p = Path.of(path);
    if (Files.isReadable(p)) {
      return p;
    }
    if (SparkEnv.get() != null) {
      Path shipped = Path.of(SparkFiles.get(p.getFileName().toString()));
      if (Files.isReadable(shipped)) {
        return shipped;
      }
    }
    throw new IllegalStateException(
        "file "
            + path
            + " is not readable in this JVM, nor among the files shipped with"
            + " spark-submit --files (as "
            + p.getFileName()
            + ")");
  }

  /** The secret, read now (one trailing newline dropped). */
  public String read() {
    return Secret.fromFile(path, locate()).reveal();
  }
}

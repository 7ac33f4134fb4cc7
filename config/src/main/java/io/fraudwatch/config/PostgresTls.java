package io.fraudwatch.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * TLS to PostgreSQL: pgjdbc's {@code sslmode} and {@code sslrootcert}, as config keys so that the
 * root certificate can travel as a file like the secrets do (on a cluster, shipped with
 * spark-submit --files). Unset means the driver's default ({@code prefer}: TLS when the server
 * offers it, unverified).
 */
public record PostgresTls(Optional<String> mode, Optional<Path> rootCert) {

  public static final PostgresTls DRIVER_DEFAULT =
      new PostgresTls(Optional.empty(), Optional.empty());

  static final List<String> MODES =
      List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

  public static final List<ConfigKey> KEYS =
      List.of(
          ConfigKey.of(
              "jdbc.ssl-mode",
              null,
              "TLS to PostgreSQL: disable, allow, prefer, require, verify-ca or verify-full"
                  + " (unset: the driver's default, prefer)"),
          ConfigKey.of(
              "jdbc.ssl-root-cert",
              null,
              "PEM file of the CA certificate(s) that verify-ca / verify-full check the"
                  + " server's certificate against"));

  static PostgresTls from(Settings s) {
    Optional<String> mode = s.optional("jdbc.ssl-mode").map(m -> m.toLowerCase(Locale.ROOT));
    mode.ifPresent(
        m -> {
          if (!MODES.contains(m)) {
            throw new ConfigException(
                "jdbc.ssl-mode",
                "expected one of "
                    + String.join(", ", MODES)
                    + ", got '"
                    + s.string("jdbc.ssl-mode")
                    + "' (from "
                    + s.origin("jdbc.ssl-mode")
                    + ")");
          }
        });
    return new PostgresTls(mode, s.optional("jdbc.ssl-root-cert").map(Path::of));
  }

  /**
   * The driver properties, with the root certificate at {@code rootCertHere} (where this JVM finds
   * it).
   */
  public Map<String, String> driverProperties(Optional<Path> rootCertHere) {
    Map<String, String> p = new LinkedHashMap<>();
    mode.ifPresent(m -> p.put("sslmode", m));
    rootCertHere.ifPresent(f -> p.put("sslrootcert", f.toString()));
    return p;
  }

  /** The driver properties, with the root certificate at its configured path. */
  public Map<String, String> driverProperties() {
    return driverProperties(rootCert);
  }
}

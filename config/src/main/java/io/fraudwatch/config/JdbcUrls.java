package io.fraudwatch.config;

import java.util.regex.Pattern;

/** JDBC URLs as they may be shown: a URL can carry a password as a parameter, which is masked. */
public final class JdbcUrls {
  // pgjdbc reads these from the URL's query; sslpassword unlocks a client key
  private static final Pattern SECRET_PARAMETER =
      Pattern.compile("(?i)([?&;](?:password|sslpassword|sslkeypassword)=)[^&;#]*");

  private JdbcUrls() {}

  /** {@code jdbc:postgresql://h/db?user=u&password=pw} becomes {@code ...&password=******}. */
  public static String redact(String url) {
    return url == null ? null : SECRET_PARAMETER.matcher(url).replaceAll("$1******");
  }
}

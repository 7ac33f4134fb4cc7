package io.fraudwatch.app.runtime;

import io.fraudwatch.config.Secret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Passwords for the embedded database's login users: generated once, kept in owner-only files in
 * the work directory, so a restarted dev environment keeps working with what users already pasted.
 */
final class LocalSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();

  private LocalSecrets() {}

  static Secret loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] bytes = new byte[18];
      RANDOM.nextBytes(bytes);
      writeOwnerOnly(file, HexFormat.of().formatHex(bytes));
    }
    return Secret.fromFile(file.getFileName().toString(), file);
  }

  static void writeOwnerOnly(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(
        tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}

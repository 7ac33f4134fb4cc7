package io.fraudwatch.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.Key;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority and a server certificate it signed for 127.0.0.1 and localhost,
 * made with the JDK's keytool, in the forms the servers and clients read: PEM files (PostgreSQL's
 * ssl_cert_file / ssl_key_file, pgjdbc's sslrootcert) and PKCS12 stores (the Kafka broker's key
 * store, the clients' trust store).
 *
 * @param caCert the CA's certificate (PEM)
 * @param truststore a PKCS12 trust store holding the CA's certificate, password {@link #password}
 * @param serverKeystore a PKCS12 key store with the server's key and certificate chain, password
 *     {@link #password}
 * @param serverCert the server's certificate (PEM)
 * @param serverKey the server's private key (PKCS#8 PEM, owner-only)
 */
public record TestCertificates(
    Path caCert,
    Path truststore,
    Path serverKeystore,
    Path serverCert,
    Path serverKey,
    String password) {

  /** Makes a CA named {@code caName} and its server certificate in {@code dir}. */
  public static TestCertificates create(Path dir, String caName)
      throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String pw = "store-" + Long.toHexString(System.nanoTime());
    Path ca = dir.resolve("ca.p12");
    Path caCert = dir.resolve("ca.crt");
    Path server = dir.resolve("server.p12");
    Path csr = dir.resolve("server.csr");
    Path serverCert = dir.resolve("server.crt");
    Path truststore = dir.resolve("truststore.p12");
    String pass = pw;
    keytool(
        "-genkeypair",
        "-alias",
        "ca",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=" + caName,
        "-ext",
        "bc:c",
        "-validity",
        "2",
        "-keystore",
        ca,
        "-storetype",
        "PKCS12",
        "-storepass",
        pass);
    keytool(
        "-exportcert",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        pass,
        "-rfc",
        "-file",
        caCert);
    keytool(
        "-genkeypair",
        "-alias",
        "server",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-dname",
        "CN=localhost",
        "-validity",
        "2",
        "-keystore",
        server,
        "-storetype",
        "PKCS12",
        "-storepass",
        pass);
    keytool("-certreq", "-alias", "server", "-keystore", server, "-storepass", pass, "-file", csr);
    keytool(
        "-gencert",
        "-alias",
        "ca",
        "-keystore",
        ca,
        "-storepass",
        pass,
        "-infile",
        csr,
        "-outfile",
        serverCert,
        "-rfc",
        "-validity",
        "2",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-ext",
        "KU=digitalSignature,keyEncipherment",
        "-ext",
        "EKU=serverAuth");
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-file",
        caCert,
        "-keystore",
        server,
        "-storepass",
        pass,
        "-noprompt");
    keytool(
        "-importcert",
        "-alias",
        "server",
        "-file",
        serverCert,
        "-keystore",
        server,
        "-storepass",
        pass,
        "-noprompt");
    keytool(
        "-importcert",
        "-alias",
        "ca",
        "-file",
        caCert,
        "-keystore",
        truststore,
        "-storetype",
        "PKCS12",
        "-storepass",
        pass,
        "-noprompt");
    Path serverKey = dir.resolve("server.key");
    writeKey(server, pass, serverKey);
    return new TestCertificates(caCert, truststore, server, serverCert, serverKey, pw);
  }

  private static void writeKey(Path keystore, String password, Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      Key key = ks.getKey("server", password.toCharArray());
      String body =
          Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(key.getEncoded());
      Files.deleteIfExists(pem);
      Files.createFile(
          pem, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(
          pem, "-----BEGIN PRIVATE KEY-----\n" + body + "\n-----END PRIVATE KEY-----\n");
    } catch (java.security.GeneralSecurityException e) {
      throw new IOException("cannot read the server key from " + keystore, e);
    }
  }

  private static void keytool(Object... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    for (Object a : args) {
      command.add(a.toString());
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + args[0] + " failed: " + output);
    }
  }
}

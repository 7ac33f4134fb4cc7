package io.fraudwatch.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker + controller) inside this JVM, with its
 * log under a given directory. The directory is formatted on first start and reused afterwards, so
 * topics and offsets survive a restart on the same directory. {@link #stop} and {@link #startAgain}
 * take the broker down and bring it back on the same ports and log directory, as an operator's
 * restart would.
 *
 * <p>It always listens in PLAINTEXT on 127.0.0.1; {@link SecureListeners} add listeners that
 * authenticate (SASL/SCRAM) and encrypt (TLS), for tests of the clients' security settings.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  /**
   * Extra client listeners, one per protocol ({@code SASL_PLAINTEXT}, {@code SSL}, {@code
   * SASL_SSL}), with SCRAM users (SCRAM-SHA-256 and -512 credentials each) and, for TLS, the
   * broker's PKCS12 key store.
   */
  public record SecureListeners(
      List<String> protocols,
      Map<String, String> scramUsers,
      Path keystore,
      String keystorePassword) {}

  private final Path logDir;
  private final int port;
  private final Map<String, Integer> securePorts;
  private final Properties config;
  // guarded by this
  private KafkaRaftServer server;
  private boolean running;

  private EmbeddedKafkaBroker(
      Path logDir,
      int port,
      Map<String, Integer> securePorts,
      Properties config,
      KafkaRaftServer server) {
    this.logDir = logDir;
    this.port = port;
    this.securePorts = securePorts;
    this.config = config;
    this.server = server;
    this.running = true;
  }

  /**
   * Starts a broker on 127.0.0.1:{@code port} (0 = a free port); the controller takes another free
   * port.
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port) throws Exception {
    return start(logDir, port, new SecureListeners(List.of(), Map.of(), null, null));
  }

  /**
   * Also listens with {@code secure}'s protocols, each on a free port. Ports it picked that another
   * process binds first are picked again (three attempts).
   */
  public static EmbeddedKafkaBroker start(Path logDir, int port, SecureListeners secure)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnce(logDir, port, secure);
      } catch (Exception e) {
        if (attempt == 3 || !FreePorts.bindFailure(e)) {
          throw e;
        }
        LOG.warn("a port of the Kafka broker was taken before it bound ({}); picking again", e);
      }
    }
  }

  private static EmbeddedKafkaBroker startOnce(Path logDir, int port, SecureListeners secure)
      throws Exception {
    Files.createDirectories(logDir);
    // all different, and none the configured broker port: two listeners on one port fail the start
    int[] picked =
        FreePorts.pick(
            1 + secure.protocols().size() + (port == 0 ? 1 : 0),
            port == 0 ? Set.of() : Set.of(port));
    int controllerPort = picked[0];
    int brokerPort = port == 0 ? picked[picked.length - 1] : port;
    Map<String, Integer> securePorts = new java.util.LinkedHashMap<>();
    StringBuilder listeners = new StringBuilder("PLAINTEXT://127.0.0.1:" + brokerPort);
    StringBuilder protocolMap = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    Properties p = new Properties();
    for (String protocol : secure.protocols()) {
      int securePort = picked[1 + securePorts.size()];
      securePorts.put(protocol, securePort);
      listeners.append(',').append(protocol).append("://127.0.0.1:").append(securePort);
      protocolMap.append(',').append(protocol).append(':').append(protocol);
      String prefix = "listener.name." + protocol.toLowerCase(java.util.Locale.ROOT) + ".";
      if (protocol.startsWith("SASL_")) {
        p.put(prefix + "sasl.enabled.mechanisms", "SCRAM-SHA-256,SCRAM-SHA-512");
        p.put(
            prefix + "scram-sha-256.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        p.put(
            prefix + "scram-sha-512.sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      }
      if (protocol.endsWith("SSL")) {
        p.put(prefix + "ssl.keystore.location", secure.keystore().toString());
        p.put(prefix + "ssl.keystore.type", "PKCS12");
        p.put(prefix + "ssl.keystore.password", secure.keystorePassword());
        p.put(prefix + "ssl.key.password", secure.keystorePassword());
      }
    }
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    p.put("listeners", listeners + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", listeners.toString());
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", protocolMap.toString());
    p.put("log.dirs", logDir.toString());
    p.put("auto.create.topics.enable", "false");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("log.retention.hours", "168");
    // small segments keep a developer's work dir small; the broker is for one machine
    p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));

    if (!Files.exists(logDir.resolve("meta.properties"))) {
      // the in-process equivalent of `kafka-storage.sh format`
      new Formatter()
          .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
          .setClusterId(Uuid.randomUuid().toString())
          .setNodeId(1)
          .setControllerListenerName("CONTROLLER")
          .setMetadataLogDirectory(logDir.toString())
          .setDirectories(List.of(logDir.toString()))
          .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
          .run();
      LOG.info("formatted {} as a new single-node KRaft cluster", logDir);
    }
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      // what started (the controller, if the broker's listener could not bind) goes down with it
      try {
        server.shutdown();
        server.awaitShutdown();
      } catch (RuntimeException shutdown) {
        e.addSuppressed(shutdown);
      }
      throw e;
    }
    EmbeddedKafkaBroker broker =
        new EmbeddedKafkaBroker(logDir, brokerPort, Map.copyOf(securePorts), p, server);
    broker.awaitReady(Duration.ofSeconds(60));
    if (!secure.scramUsers().isEmpty()) {
      broker.createScramUsers(secure.scramUsers());
    }
    LOG.info("Kafka broker up at {} (log dir {})", broker.bootstrapServers(), logDir);
    return broker;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** Bootstrap servers of the listener with {@code protocol} (one of those it was started with). */
  public String bootstrapServers(String protocol) {
    Integer p = securePorts.get(protocol);
    if (p == null) {
      throw new IllegalArgumentException(
          "no " + protocol + " listener; the broker has " + securePorts.keySet());
    }
    return "127.0.0.1:" + p;
  }

  private void createScramUsers(Map<String, String> users) throws Exception {
    try (Admin admin = admin()) {
      // a request may alter each user once: one request per mechanism
      for (var mechanism :
          List.of(
              org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_256,
              org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512)) {
        List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> upserts =
            new ArrayList<>();
        for (Map.Entry<String, String> u : users.entrySet()) {
          upserts.add(
              new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(
                  u.getKey(),
                  new org.apache.kafka.clients.admin.ScramCredentialInfo(mechanism, 4096),
                  u.getValue()));
        }
        admin.alterUserScramCredentials(upserts).all().get();
      }
      // the credentials reach the broker through the metadata log: wait until it lists them
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (admin.describeUserScramCredentials(List.copyOf(users.keySet())).all().get().size()
          < users.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "SCRAM users " + users.keySet() + " not visible after 30 s");
        }
        Thread.sleep(50);
      }
    }
    if (securePorts.containsKey("SASL_PLAINTEXT")) {
      // and from the controller to the broker's credential cache: log in as the first user until it
      // works
      Map.Entry<String, String> user = users.entrySet().iterator().next();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (true) {
        try (Admin admin =
            Admin.create(
                Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers("SASL_PLAINTEXT"),
                    "security.protocol",
                    "SASL_PLAINTEXT",
                    "sasl.mechanism",
                    "SCRAM-SHA-256",
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                        + user.getKey()
                        + "\" password=\""
                        + user.getValue()
                        + "\";"))) {
          admin.describeCluster().nodes().get(10, java.util.concurrent.TimeUnit.SECONDS);
          return;
        } catch (ExecutionException e) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "SCRAM user " + user.getKey() + " cannot log in after 30 s", e);
          }
          Thread.sleep(100);
        }
      }
    }
  }

  public Path logDir() {
    return logDir;
  }

  /**
   * Creates the topics that do not exist yet (replication factor 1); existing ones are left as they
   * are.
   */
  public void createTopics(List<String> names, int partitions) throws Exception {
    try (Admin admin = admin()) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing = new ArrayList<>();
      for (String name : names) {
        if (!existing.contains(name)) {
          missing.add(new NewTopic(name, partitions, (short) 1));
        }
      }
      try {
        admin.createTopics(missing).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      awaitLeaders(admin, names, Duration.ofSeconds(30));
    }
  }

  /**
   * Waits until every partition of the topics has a leader: a producer that starts before then gets
   * retriable errors, and its idempotent retries of early batches can be refused as out of order. A
   * topic just created may not be known to the broker's metadata yet (UNKNOWN_TOPIC_OR_PARTITION):
   * that is waited out too.
   */
  private static void awaitLeaders(Admin admin, List<String> names, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      boolean ready;
      try {
        ready =
            admin.describeTopics(names).allTopicNames().get().values().stream()
                .flatMap(t -> t.partitions().stream())
                .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
      } catch (ExecutionException e) {
        if (!(e.getCause()
            instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
          throw e;
        }
        ready = false; // a topic just created is not known to the broker's metadata yet (seen under
        // load)
      }
      if (ready) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "partitions of " + names + " have no leader after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until the broker answers for every partition of the topics: the controller names it
   * leader before it has loaded the partition's log, and until then it refuses produce requests
   * (UNKNOWN_TOPIC_OR_PARTITION).
   */
  private static void awaitServing(Admin admin, List<String> names, Duration timeout)
      throws Exception {
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    admin
        .describeTopics(names)
        .allTopicNames()
        .get()
        .values()
        .forEach(
            t ->
                t.partitions()
                    .forEach(
                        p ->
                            latest.put(
                                new TopicPartition(t.name(), p.partition()), OffsetSpec.latest())));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        admin.listOffsets(latest).all().get();
        return;
      } catch (ExecutionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the broker does not serve " + names + " after " + timeout, e);
        }
        Thread.sleep(100);
      }
    }
  }

  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  private void awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, java.util.concurrent.TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        last = e;
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("Kafka broker did not become ready within " + timeout, last);
  }

  /**
   * Shuts the broker down (controlled shutdown), keeping its ports and log directory for {@link
   * #startAgain}.
   */
  public synchronized void stop() {
    if (running) {
      running = false;
      server.shutdown();
      server.awaitShutdown();
      LOG.info("Kafka broker at {} stopped", bootstrapServers());
    }
  }

  /**
   * Starts a stopped broker again on the same ports and log directory, and waits until it answers
   * and leads its topics' partitions again.
   */
  public synchronized void startAgain() throws Exception {
    if (running) {
      return;
    }
    server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    server.startup();
    running = true;
    awaitReady(Duration.ofSeconds(60));
    try (Admin admin = admin()) {
      List<String> topics = List.copyOf(admin.listTopics().names().get());
      if (!topics.isEmpty()) {
        awaitLeaders(admin, topics, Duration.ofSeconds(60));
        awaitServing(admin, topics, Duration.ofSeconds(60));
      }
    }
    LOG.info("Kafka broker up again at {}", bootstrapServers());
  }

  public synchronized boolean running() {
    return running;
  }

  @Override
  public void close() {
    stop();
  }
}

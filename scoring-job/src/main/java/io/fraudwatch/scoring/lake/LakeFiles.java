package io.fraudwatch.scoring.lake;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The lake's files on any Hadoop file system ({@code lake.path}: a local path or a URL such as
 * {@code hdfs://...} or {@code s3a://...}), by paths relative to its root. In a Spark JVM the
 * file-system settings include the job's {@code spark.hadoop.*} properties, as Spark's own readers
 * and writers have them.
 */
public final class LakeFiles {
  private final Configuration conf;
  private final FileSystem fs;
  private final Path root;

  /** Whether the lake is on the local file system (written through java.nio). */
  private final boolean local;

  private LakeFiles(Configuration conf, FileSystem fs, Path root, boolean local) {
    this.conf = conf;
    this.fs = fs;
    this.root = root;
    this.local = local;
  }

  public static LakeFiles open(String lakePath) {
    Configuration conf = new Configuration();
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      for (Tuple2<String, String> p : env.conf().getAll()) {
        if (p._1().startsWith("spark.hadoop.")) {
          conf.set(p._1().substring("spark.hadoop.".length()), p._2());
        }
      }
    }
    try {
      Path path = new Path(lakePath);
      FileSystem fs = path.getFileSystem(conf);
      return new LakeFiles(conf, fs, fs.makeQualified(path), fs instanceof LocalFileSystem);
    } catch (IOException e) {
      throw new UncheckedIOException("the lake at " + lakePath + " cannot be opened", e);
    }
  }

  /** The root, qualified (a URL). */
  public String root() {
    return root.toString();
  }

  Path path(String relative) {
    return relative.isEmpty() ? root : new Path(root, relative);
  }

  /** Writes {@code rows} as one Parquet file (SNAPPY), replacing what is at {@code relative}. */
  void write(String relative, MessageType schema, Iterable<Group> rows) throws IOException {
    try (ParquetWriter<Group> writer = writer(relative, schema)) {
      for (Group row : rows) {
        writer.write(row);
      }
    }
  }

  ParquetWriter<Group> writer(String relative, MessageType schema) throws IOException {
    return ExampleParquetWriter.builder(outputFile(path(relative)))
        .withConf(conf)
        .withType(schema)
        .withCompressionCodec(CompressionCodecName.SNAPPY)
        .withWriteMode(org.apache.parquet.hadoop.ParquetFileWriter.Mode.OVERWRITE)
        .build();
  }

  /**
   * On the local file system through java.nio: Hadoop's local file system sets the permissions of
   * each file and directory it creates by forking {@code chmod} (without its native library), tens
   * of milliseconds a batch.
   */
  private OutputFile outputFile(Path p) throws IOException {
    if (!local) {
      return HadoopOutputFile.fromPath(p, conf);
    }
    java.nio.file.Path file = java.nio.file.Path.of(p.toUri());
    Files.createDirectories(file.getParent());
    return new LocalOutputFile(file);
  }

  private void mkdirs(Path dir) throws IOException {
    if (local) {
      Files.createDirectories(java.nio.file.Path.of(dir.toUri()));
    } else {
      fs.mkdirs(dir);
    }
  }

  ParquetReader<Group> reader(String relative) throws IOException {
    return ParquetReader.builder(new GroupReadSupport(), path(relative)).withConf(conf).build();
  }

  /** The schema and the row count in a file's footer. */
  Footer footer(String relative) throws IOException {
    try (ParquetFileReader r =
        ParquetFileReader.open(HadoopInputFile.fromPath(path(relative), conf))) {
      return new Footer(r.getFooter().getFileMetaData().getSchema(), r.getRecordCount());
    }
  }

  record Footer(MessageType schema, long rows) {}

  boolean exists(String relative) throws IOException {
    return fs.exists(path(relative));
  }

  /**
   * Renames a staged file into the lake, replacing a file already there (left by an interrupted
   * copy on a store whose rename copies); {@code false} when nothing was staged there (published
   * already).
   */
  boolean publish(String staged, String published) throws IOException {
    Path from = path(staged);
    if (!fs.exists(from)) {
      return false;
    }
    Path to = path(published);
    mkdirs(to.getParent());
    if (fs.exists(to)) {
      fs.delete(to, false);
    }
    if (!fs.rename(from, to)) {
      throw new IOException("could not rename " + from + " to " + to);
    }
    return true;
  }

  /** Deletes a file or a directory tree; nothing there is fine. */
  void delete(String relative) throws IOException {
    fs.delete(path(relative), true);
  }

  /**
   * The names in a directory, empty when there is none; {@code dirs} picks directories or files.
   */
  List<String> list(String relativeDir, boolean dirs) throws IOException {
    List<String> names = new ArrayList<>();
    try {
      for (FileStatus s : fs.listStatus(path(relativeDir))) {
        if (s.isDirectory() == dirs) {
          names.add(s.getPath().getName());
        }
      }
    } catch (FileNotFoundException e) {
      return List.of();
    }
    names.sort(null);
    return names;
  }

  void writeText(String relative, String text) throws IOException {
    try (FSDataOutputStream out = fs.create(path(relative), true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.hsync();
    }
  }

  String readText(String relative) throws IOException {
    try (var in = fs.open(path(relative))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The Parquet files of the lake by date directory, relative paths (staged files excluded). */
  java.util.SortedMap<java.time.LocalDate, List<String>> dataFiles() throws IOException {
    java.util.SortedMap<java.time.LocalDate, List<String>> files = new java.util.TreeMap<>();
    for (String dir : list("", true)) {
      var date = LakeLayout.dateOf(dir);
      if (date.isPresent()) {
        List<String> parquet = new ArrayList<>();
        for (String name : list(dir, false)) {
          if (name.endsWith(LakeLayout.PARQUET)) {
            parquet.add(dir + "/" + name);
          }
        }
        files.put(date.get(), parquet);
      }
    }
    return files;
  }

  /** Rows in the lake's Parquet files, as their footers count them. */
  public long rows() throws IOException {
    long rows = 0;
    for (List<String> date : dataFiles().values()) {
      for (String file : date) {
        rows += footer(file).rows();
      }
    }
    return rows;
  }
}

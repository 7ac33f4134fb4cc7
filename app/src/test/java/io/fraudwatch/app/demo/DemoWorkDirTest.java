package io.fraudwatch.app.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoWorkDirTest {

  @TempDir Path tmp;

  @Test
  void aNewDirectoryIsCreatedAndMarked() throws Exception {
    Path dir = tmp.resolve("a/demo");

    assertThat(DemoWorkDir.prepare(dir)).isFalse();

    assertThat(dir.resolve(DemoWorkDir.MARKER)).isRegularFile();
  }

  @Test
  void aPreviousDemosDataIsDeleted() throws Exception {
    Path dir = tmp.resolve("demo");
    DemoWorkDir.prepare(dir);
    Files.createDirectories(dir.resolve("postgres/base"));
    Files.writeString(dir.resolve("postgres/base/1"), "old");

    assertThat(DemoWorkDir.prepare(dir)).isTrue();

    try (var list = Files.list(dir)) {
      assertThat(list).containsExactly(dir.resolve(DemoWorkDir.MARKER));
    }
  }

  @Test
  void aDirectoryThatADemoDidNotMakeIsLeftAlone() throws Exception {
    Path dir = tmp.resolve("precious");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("thesis.tex"), "years of work");

    assertThatThrownBy(() -> DemoWorkDir.prepare(dir))
        .isInstanceOf(DemoWorkDir.NotADemoDirectory.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining(DemoWorkDir.MARKER);

    assertThat(dir.resolve("thesis.tex")).hasContent("years of work");
  }

  @Test
  void symbolicLinksAreRemovedNotFollowed() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("keep"), "keep");
    Path dir = tmp.resolve("demo");
    DemoWorkDir.prepare(dir);
    Files.createSymbolicLink(dir.resolve("link"), outside);

    DemoWorkDir.prepare(dir);

    assertThat(dir.resolve("link")).doesNotExist();
    assertThat(outside.resolve("keep")).hasContent("keep");
  }
}

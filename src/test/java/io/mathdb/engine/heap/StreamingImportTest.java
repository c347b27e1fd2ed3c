package io.mathdb.engine.heap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bulk import and an export of a million rows (about 20 MB of CSV, a few hundred MB as Java objects) in a JVM
 * whose heap is 48 MB: it only works if neither the body nor the rows are ever held whole in the heap, on import,
 * on replay or on export.
 */
class StreamingImportTest {
    @TempDir
    Path dir;

    @Test
    void millionRowImportReplayAndExportRunInA48MegabyteHeap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                SmallHeapImport.class.getName(), dir.resolve("db").toString(), "1000000")
                .redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(4, TimeUnit.MINUTES)).isTrue();
        assertThat(child.exitValue()).as(output).isZero();
        List<String> lines = output.lines().filter(l -> l.matches("(imported|recovered|exported|parquet) .*")).toList();
        assertThat(lines).containsExactly("imported 1000000", "recovered 1000000", "exported 1000000", "parquet true");
    }
}

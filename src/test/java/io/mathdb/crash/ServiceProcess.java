package io.mathdb.crash;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The MathDB service as a child JVM on the test's class path: started on a free port and a given data directory,
 * then killed ({@code SIGKILL}, as the OOM killer or {@code kill -9} would) or terminated ({@code SIGTERM}, as an
 * orchestrator stops it). Its output goes to a log file next to the data directory, quoted when a test fails.
 */
final class ServiceProcess implements AutoCloseable {
    /** How long a child may take to start; generous, because test machines are shared and Spring Boot is not small. */
    static final Duration START_LIMIT = Duration.ofSeconds(120);

    private final Process process;
    private final int port;
    private final Path log;
    final ServiceClient client;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.client = new ServiceClient(port);
    }

    /** Starts {@code io.mathdb.MathDbApplication} on {@code dataDir}. */
    static ServiceProcess start(Path dataDir, String... args) {
        return start("io.mathdb.MathDbApplication", List.of(), dataDir, args);
    }

    /**
     * Starts {@code mainClass} (the service, or a test main that wraps it) with {@code jvmArgs}, on a free port and
     * {@code dataDir}, with {@code args} after the port and directory.
     */
    static ServiceProcess start(String mainClass, List<String> jvmArgs, Path dataDir, String... args) {
        return start(Path.of("").toAbsolutePath(), mainClass, jvmArgs, dataDir, args);
    }

    /**
     * As {@link #start(String, List, Path, String...)}, in {@code workDir}: from the repository root (the default)
     * the child reads {@code config/application.yml}, from anywhere else only the settings built into the jar.
     */
    static ServiceProcess start(Path workDir, String mainClass, List<String> jvmArgs, Path dataDir, String... args) {
        int port = freePort();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:TieredStopAtLevel=1"); // starts faster; these children run briefly
        command.add("-XX:+UseSerialGC");
        // DuckDB's driver unpacks its 70 MB native library into the temp directory and only a clean exit removes
        // it: a killed child would leave it in /tmp. Inside the test's own directory, it goes with the test.
        command.add("-Djava.io.tmpdir=" + childTemp(dataDir));
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.add("--server.port=" + port);
        command.add("--mathdb.data-dir=" + dataDir.toAbsolutePath());
        command.add("--spring.main.banner-mode=off");
        command.add("--springdoc.api-docs.enabled=false");
        command.add("--springdoc.swagger-ui.enabled=false");
        command.addAll(List.of(args));
        try {
            Path log = Files.createTempFile(dataDir.toAbsolutePath().getParent(), "child-" + port + "-", ".log");
            Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new ServiceProcess(process, port, log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path childTemp(Path dataDir) {
        try {
            return Files.createDirectories(dataDir.toAbsolutePath().getParent().resolve("child-tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts as {@link #start(Path, String...)} and waits until readiness reports UP. */
    static ServiceProcess startReady(Path dataDir, String... args) {
        ServiceProcess child = start(dataDir, args);
        child.awaitReady();
        return child;
    }

    /**
     * Waits until {@code /actuator/health/readiness} answers 200: the port is open and recovery is done. Polling is
     * the only way to learn that from another process; the child dying or the deadline passing fails the test.
     */
    ServiceProcess awaitReady() {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + " before it was ready:\n"
                        + logTail());
            }
            if (client.tryGet("/actuator/health/readiness") == 200) {
                return this;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the service was not ready within " + START_LIMIT + ":\n" + logTail());
            }
            pause(Duration.ofMillis(50));
        }
    }

    /** {@code SIGKILL}: the process ends at once, with no shutdown hook, no flush and no fsync. */
    void kill9() {
        process.destroyForcibly();
        awaitExit();
    }

    /** {@code SIGTERM}: Spring's shutdown hook closes the database; returns the exit status. */
    int terminate() {
        process.destroy();
        return awaitExit();
    }

    /** Waits for the process to end by itself (or after a signal), within the start limit; returns its status. */
    int awaitExit() {
        try {
            if (!process.waitFor(START_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the service did not exit within " + START_LIMIT + ":\n" + logTail());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    int port() {
        return port;
    }

    /** Everything the child printed. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last lines of the child's output, for failure messages. */
    String logTail() {
        String out = output();
        return out.length() <= 6000 ? out : "..." + out.substring(out.length() - 6000);
    }

    /** Leaves no child behind, whatever the test did. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

package io.mathdb.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.mathdb.config.MathDbProperties;
import io.mathdb.engine.DatabaseOptions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

/** The whole application as started from the repository root: config/application.yml, actuator, Swagger UI. */
class ApplicationSmokeTest extends HttpTestSupport {
    @Autowired
    MathDbProperties properties;

    @Test
    void configFileAtRepositoryRootIsLoaded() {
        // Only config/application.yml exposes these actuator endpoints; Spring Boot's default is health alone.
        assertThat(get("/actuator/prometheus").status()).isEqualTo(200);
        assertThat(get("/actuator/metrics").status()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").status()).isEqualTo(200);
        assertThat(properties.wal().flushInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.snapshot().walBytes()).isEqualTo(DataSize.ofMegabytes(256));
        assertThat(properties.http().maxBodySize()).isEqualTo(DataSize.ofMegabytes(64));
        assertThat(properties.read().connections()).isEqualTo(8);
        assertThat(properties.dataDir()).startsWith(Path.of("target", "test-data"));
    }

    @Test
    void healthIsUp() {
        Reply health = get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").stringValue()).isEqualTo("UP");
    }

    @Test
    void swaggerUiIsServed() {
        Reply ui = get("/swagger-ui.html");
        assertThat(ui.status()).isIn(200, 302);
        if (ui.status() == 302) {
            assertThat(ui.header("Location").orElseThrow()).contains("swagger-ui");
        }
        assertThat(get("/swagger-ui/index.html").status()).isEqualTo(200);
    }

    @Test
    void quickStartOfTheOriginalWorksOverHttp() {
        createTable("users", "id Int64 key, name Utf8, age Int32");
        assertThat(post("/tables/users/rows", "{\"id\":1,\"name\":\"Alice\",\"age\":30}").status()).isEqualTo(201);
        assertThat(put("/tables/users/rows/1", "{\"id\":1,\"name\":\"Alice\",\"age\":31}").status()).isEqualTo(200);
        assertThat(post("/tables/users/rows?on_conflict=update", "{\"id\":2,\"name\":\"Bob\",\"age\":25}").status())
                .isEqualTo(201);
        assertThat(delete("/tables/users/rows/1").status()).isEqualTo(204);
        assertThat(get("/tables/users/count").body()).isEqualTo("{\"count\":1}");
        assertThat(get("/tables/users/rows/2").body()).isEqualTo("{\"id\":2,\"name\":\"Bob\",\"age\":25}");
    }

    @Test
    void theServiceAsksG1ToReturnIdleHeapToTheSystem() {
        assertThat(properties.memory().returnIdleHeap()).isEqualTo(Duration.ofSeconds(2));
        // a JVM flag a running process may set; the test JVM runs G1 with the flag at its default
        assertThat(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("2000");
    }

    @Test
    void defaultSettingsAreTheEngineDefaults() {
        MathDbProperties defaults = new Binder(new MapConfigurationPropertySource(Map.of()))
                .bindOrCreate("mathdb", MathDbProperties.class);
        assertThat(defaults.toOptions()).isEqualTo(DatabaseOptions.DEFAULTS);
        assertThat(defaults.dataDir().normalize()).isEqualTo(Path.of("data"));
    }
}

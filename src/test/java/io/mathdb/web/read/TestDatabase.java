package io.mathdb.web.read;

import io.mathdb.engine.Database;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The {@link Database} bean until the web layer's own configuration (which reads {@code mathdb.data-dir} the same
 * way) is merged; named like it, and the tests allow overriding, so after the merge exactly one of the two remains.
 * Delete this class then.
 */
@TestConfiguration(proxyBeanMethods = false)
@org.springframework.context.annotation.Import(TestProblems.class)
class TestDatabase {
    @Bean(destroyMethod = "close")
    Database database(@Value("${mathdb.data-dir}") Path dir) {
        return Database.open(dir);
    }
}

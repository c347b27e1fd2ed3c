package io.mathdb.config;

import io.mathdb.engine.Database;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link Database} of the service, opened (and recovered) on start-up from {@code mathdb.data-dir} and closed
 * on shutdown, which applies queued writes and makes them durable. Tests point {@code mathdb.data-dir} at a temporary
 * directory.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    @Bean(destroyMethod = "close")
    Database database(MathDbProperties properties) {
        return Database.open(properties.dataDir(), properties.toOptions());
    }
}

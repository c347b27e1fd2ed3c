package io.mathdb.config;

import io.mathdb.engine.Database;
import io.mathdb.engine.wal.WalFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The one {@link Database} of the service, from {@code mathdb.data-dir}. Recovery runs on its own thread so the
 * HTTP port opens at once and health shows its progress (readiness stays down, requests get 503 {@code recovering});
 * if recovery fails the process exits with the reason, rather than serving without the data it could not read.
 * Closing the bean on shutdown applies queued writes and makes them durable. A {@link WalFiles} bean, if one is
 * defined (crash tests record what was fsynced through it), replaces the real file system under the log.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(DatabaseConfiguration.class);
    /** Exit status when the data directory cannot be recovered. */
    static final int RECOVERY_FAILED_EXIT = 3;

    @Bean(destroyMethod = "close")
    Database database(MathDbProperties properties, ObjectProvider<WalFiles> walFiles, ApplicationContext context) {
        Database db = Database.start(properties.dataDir(),
                properties.toOptions().withWalFiles(walFiles.getIfAvailable(WalFiles::system)));
        db.ready().whenComplete((ready, failure) -> {
            if (failure != null) {
                log.error("MathDB cannot start: {}", failure.getCause() == null ? failure : failure.getCause().getMessage());
                System.exit(SpringApplication.exit(context, () -> RECOVERY_FAILED_EXIT));
            }
        });
        return db;
    }
}

package io.mathdb.crash;

import io.mathdb.MathDbApplication;
import io.mathdb.engine.wal.WalFiles;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The service with a {@link RecordingWalFiles} under its log, journalling to the file named by the system property
 * {@value #JOURNAL}. The bean is registered by an initializer, not a {@code @Configuration} class, so that component
 * scanning from {@code io.mathdb} in other tests never picks it up.
 */
public final class RecordingServiceMain {
    static final String JOURNAL = "mathdb.test.fsync-journal";

    private RecordingServiceMain() {
    }

    public static void main(String[] args) {
        Path journal = Path.of(System.getProperty(JOURNAL));
        SpringApplication app = new SpringApplication(MathDbApplication.class);
        app.addInitializers(context -> ((GenericApplicationContext) context)
                .registerBean(WalFiles.class, () -> new RecordingWalFiles(journal)));
        app.run(args);
    }
}

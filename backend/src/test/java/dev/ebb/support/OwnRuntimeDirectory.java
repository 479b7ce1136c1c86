package dev.ebb.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives each application under test a local-runtime directory of its own. Spring keeps the contexts of earlier test
 * classes alive, with their runtimes; sharing one directory, a new runtime would stop the live instances of the others
 * as leftovers of an earlier run, and their records of running processes would overwrite each other.
 */
public class OwnRuntimeDirectory implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        try {
            String directory = Files.createTempDirectory("ebb-runtime-test").toString();
            context.getEnvironment().getPropertySources()
                    .addFirst(new MapPropertySource("ownRuntimeDirectory", Map.of("ebb.runtime.local.directory", directory)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.ebb.cli.support;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A test class that runs the CLI against the shared packaged Ebb, in a namespace of its own, with the server, token
 * and namespace in the environment as a CI step has them, and a config file of its own.
 */
public abstract class AgainstEbb {

    protected static final JsonMapper JSON = JsonMapper.builder().build();
    protected static RunningEbb ebb;
    protected static String ns;
    protected static Cli cli;

    @TempDir
    protected static Path dir;

    @BeforeAll
    static void startEbbAndPickANamespace() {
        ebb = RunningEbb.shared();
        ns = RunningEbb.freshNamespace();
        cli = new Cli(dir.resolve("config")).with("EBB_SERVER", ebb.server()).with("EBB_TOKEN", RunningEbb.TOKEN)
                .with("EBB_NAMESPACE", ns);
    }
}

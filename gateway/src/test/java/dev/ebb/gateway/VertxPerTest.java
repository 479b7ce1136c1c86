package dev.ebb.gateway;

import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test that takes a {@link Vertx} parameter a Vert.x of its own, closed (10 s at most) when the test ends:
 * {@code @ExtendWith(VertxPerTest.class)}.
 */
final class VertxPerTest implements ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(VertxPerTest.class);

    /** Closed by JUnit with the test's store, as every AutoCloseable in it. */
    private record Closing(Vertx vertx) implements AutoCloseable {
        @Override
        public void close() throws ExecutionException, TimeoutException {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == Vertx.class;
    }

    @Override
    public Vertx resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getStore(NAMESPACE).computeIfAbsent(Closing.class, type -> new Closing(Vertx.vertx()), Closing.class).vertx();
    }
}

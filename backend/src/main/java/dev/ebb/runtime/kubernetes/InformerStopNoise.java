package dev.ebb.runtime.kubernetes;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;

/**
 * Keeps out of the log the ERROR lines client-java writes when an informer is stopped: stopping interrupts its threads,
 * and the library logs each interruption as an error ("DefaultController#processLoop get interrupted", "processor
 * interrupted"), three or more per cluster at every shutdown. Nothing else interrupts those threads, so the lines never
 * say anything but "stopped"; the same classes' other errors (a handler that crashed) still reach the log.
 */
final class InformerStopNoise extends TurboFilter {

    static final String CONTROLLER = "io.kubernetes.client.informer.cache.Controller";
    static final String PROCESSOR = "io.kubernetes.client.informer.cache.ProcessorListener";

    private InformerStopNoise() {
        setName(InformerStopNoise.class.getSimpleName());
    }

    /** Adds the filter to Logback's context unless it is there already; does nothing when Logback does not log. */
    static void install() {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (factory instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(InformerStopNoise.class::isInstance)) {
            InformerStopNoise filter = new InformerStopNoise();
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /** Whether a line is one of the informers' words on their own stop. */
    static boolean saysStopped(String logger, String format) {
        return format != null && (CONTROLLER.equals(logger) && format.startsWith("DefaultController#processLoop get interrupted")
                || PROCESSOR.equals(logger) && format.startsWith("processor interrupted"));
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        return logger != null && saysStopped(logger.getName(), format) ? FilterReply.DENY : FilterReply.NEUTRAL;
    }
}

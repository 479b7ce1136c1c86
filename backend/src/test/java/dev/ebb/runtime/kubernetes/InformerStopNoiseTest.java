package dev.ebb.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class InformerStopNoiseTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();

    @BeforeEach
    void listen() {
        lines.setContext(context);
        lines.start();
        for (String name : new String[] {InformerStopNoise.CONTROLLER, InformerStopNoise.PROCESSOR}) {
            Logger logger = context.getLogger(name);
            logger.addAppender(lines);
            logger.setAdditive(false); // the lines this test writes on purpose stay out of the build's output
        }
    }

    @AfterEach
    void stopListening() {
        for (String name : new String[] {InformerStopNoise.CONTROLLER, InformerStopNoise.PROCESSOR}) {
            Logger logger = context.getLogger(name);
            logger.detachAppender(lines);
            logger.setAdditive(true);
        }
    }

    @Test
    void anInformerStoppedByUsLeavesNoErrorButACrashedHandlerStillDoes() {
        InformerStopNoise.install();
        Logger controller = context.getLogger(InformerStopNoise.CONTROLLER);
        Logger processor = context.getLogger(InformerStopNoise.PROCESSOR);

        controller.error("DefaultController#processLoop get interrupted {}", null, new InterruptedException());
        processor.error("processor interrupted: {}", "sleep interrupted");
        controller.error("DefaultController#processLoop recovered from crashing {}", "boom", new IllegalStateException("boom"));

        assertThat(lines.list).extracting(ILoggingEvent::getMessage)
                .containsExactly("DefaultController#processLoop recovered from crashing {}");
    }

    @Test
    void installingTwiceFiltersOnce() {
        InformerStopNoise.install();
        InformerStopNoise.install();

        assertThat(context.getTurboFilterList().stream().filter(InformerStopNoise.class::isInstance)).hasSize(1);
    }

    @Test
    void otherLoggersSayingTheSameWordsAreLeftAlone() {
        assertThat(InformerStopNoise.saysStopped("dev.ebb.Anything", "processor interrupted: {}")).isFalse();
        assertThat(InformerStopNoise.saysStopped(InformerStopNoise.PROCESSOR, "processor interrupted: {}")).isTrue();
        assertThat(InformerStopNoise.saysStopped(InformerStopNoise.CONTROLLER, null)).isFalse();
    }
}

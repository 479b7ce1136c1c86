package dev.ebb.web;

import java.util.List;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads requests strictly: JSON values of the wrong type are refused rather than coerced ({@code "8080"} is not a
 * port, {@code 80.5} is not 80, {@code 123} is not a name), a key given twice is refused rather than the last one
 * winning, query parameters an endpoint does not take are refused, and errors that Tomcat or the error dispatch
 * answer are problem documents like every other.
 */
@Configuration(proxyBeanMethods = false)
class StrictRequestsConfiguration implements WebMvcConfigurer {

    @Bean
    JsonMapperBuilderCustomizer strictJson() {
        return builder -> builder
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, text -> {
                    for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float,
                            CoercionInputShape.Boolean)) {
                        text.setCoercion(shape, CoercionAction.Fail);
                    }
                });
    }

    /** Requests Tomcat refuses before any servlet sees them (a header too large, a malformed path) get problems too. */
    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new KnownQueryParameters()).addPathPatterns("/api/**");
        registry.addInterceptor(new AcceptableResponses()).addPathPatterns("/api/**", "/internal/**");
    }
}

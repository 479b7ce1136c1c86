package dev.ebb.security;

import dev.ebb.access.Caller;
import java.util.List;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Registers {@link CallerArgumentResolver} with Spring MVC, and keeps the {@link Caller} it resolves out of the
 * OpenAPI document: it comes from the credentials, and a client sending it as a query parameter is refused.
 */
@Configuration(proxyBeanMethods = false)
class CallerArgumentConfiguration implements WebMvcConfigurer {

    static {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }
}

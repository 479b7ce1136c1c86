package dev.ebb.security;

import dev.ebb.access.Caller;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Lets a controller method take the authenticated {@link Caller} as a parameter, so it can shape its answer to
 * the caller's grants without depending on Spring Security.
 */
final class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return Caller.class.equals(parameter.getParameterType());
    }

    @Override
    public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer container, NativeWebRequest request,
            WebDataBinderFactory binders) {
        // Only a mapping SecurityConfiguration lets through anonymously gets here without a caller: that is a wiring mistake.
        return CurrentCaller.get().orElseThrow(() -> new IllegalStateException(
                parameter.getExecutable() + " takes a Caller, but its path is open to anonymous callers"));
    }
}

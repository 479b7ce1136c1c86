package dev.ebb.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses (400) a query parameter the endpoint does not declare, with the name it was probably meant to be, so that
 * a misspelt filter or {@code ?att=} is never silently ignored. The known names are the endpoint's
 * {@code @RequestParam}s; an endpoint taking all parameters as a map is left alone.
 */
final class KnownQueryParameters implements HandlerInterceptor {

    private static final ParameterNameDiscoverer NAMES = new DefaultParameterNameDiscoverer();

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && !request.getParameterMap().isEmpty()) {
            known(method).ifPresent(names -> QueryParameters.requireKnown(request.getParameterMap().keySet(), names));
        }
        return true;
    }

    private static java.util.Optional<Set<String>> known(HandlerMethod method) {
        Set<String> names = new HashSet<>();
        for (MethodParameter declared : method.getMethodParameters()) {
            RequestParam param = declared.getParameterAnnotation(RequestParam.class);
            if (param == null) {
                continue;
            }
            if (Map.class.isAssignableFrom(declared.getParameterType())) {
                return java.util.Optional.empty();
            }
            String name = !param.name().isEmpty() ? param.name() : param.value();
            if (name.isEmpty()) {
                MethodParameter named = declared.clone();
                named.initParameterNameDiscovery(NAMES);
                name = named.getParameterName();
            }
            names.add(name);
        }
        return java.util.Optional.of(names);
    }
}

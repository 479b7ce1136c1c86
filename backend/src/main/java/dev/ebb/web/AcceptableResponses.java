package dev.ebb.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Refuses a request whose {@code Accept} admits nothing the operation answers with before the operation runs. Left to
 * Spring, the operation would run (and a write would be committed) and only writing its answer would fail, so the
 * client would get an error for a change that was made.
 */
class AcceptableResponses implements HandlerInterceptor {

    private static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON);

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotAcceptableException {
        if (!(handler instanceof HandlerMethod)) {
            return true;
        }
        List<String> accept = Collections.list(request.getHeaders("Accept"));
        if (accept.isEmpty()) {
            return true;
        }
        List<MediaType> producible = producible(request);
        List<MediaType> acceptable;
        try {
            acceptable = MediaType.parseMediaTypes(accept);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotAcceptableException("Could not parse Accept: " + e.getMessage());
        }
        if (acceptable.stream().anyMatch(wanted -> producible.stream().anyMatch(wanted::isCompatibleWith))) {
            return true;
        }
        throw new HttpMediaTypeNotAcceptableException(producible);
    }

    /** What the matched operation declares it produces, JSON when it declares nothing. */
    private static List<MediaType> producible(HttpServletRequest request) {
        Object declared = request.getAttribute(HandlerMapping.PRODUCIBLE_MEDIA_TYPES_ATTRIBUTE);
        if (declared instanceof Set<?> types && !types.isEmpty()) {
            return types.stream().map(MediaType.class::cast).toList();
        }
        return JSON;
    }
}

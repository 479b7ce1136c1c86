package dev.ebb.web;

import dev.ebb.problem.FieldViolation;
import dev.ebb.problem.InvalidInputException;
import java.lang.reflect.Type;
import java.util.List;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/** Refuses (422) a request body with a NUL character in any string, naming where, before anything is stored. */
@ControllerAdvice
class NulCharacterAdvice extends RequestBodyAdviceAdapter {

    @Override
    public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
            Class<? extends HttpMessageConverter<?>> converterType) {
        List<FieldViolation> violations = NulCharacters.in(body);
        if (!violations.isEmpty()) {
            throw InvalidInputException.invalid(violations);
        }
        return body;
    }
}

package dev.ebb.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.serializer.support.SerializationFailedException;

/**
 * Reads a stored session attribute. One that does not deserialize here, typically a security context written by a
 * replica on another version of Spring Security during a rolling upgrade, counts as absent: its owner is asked to sign
 * in again, where an exception would answer every request of that session with a 500 until it expired.
 */
final class SessionAttributeReader implements Converter<byte[], Object> {

    private static final Logger log = LoggerFactory.getLogger(SessionAttributeReader.class);

    private final Converter<byte[], Object> deserializer;

    SessionAttributeReader(Converter<byte[], Object> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public Object convert(byte[] stored) {
        try {
            return deserializer.convert(stored);
        } catch (SerializationFailedException e) {
            log.info("A stored session attribute could not be read, so it is ignored and its session must sign in again: {}",
                    e.getMostSpecificCause().toString());
            return null;
        }
    }
}

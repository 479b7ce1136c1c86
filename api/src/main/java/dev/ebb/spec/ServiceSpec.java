package dev.ebb.spec;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a caller writes to create or replace a service. The read-only {@code metadata} and
 * {@code status} of a previously read service may be sent back and are ignored; any other
 * unknown field is rejected.
 */
@JsonIgnoreProperties({"metadata", "status"})
public record ServiceSpec(
        String name,
        String namespace,
        Map<String, String> labels,
        String visibility,
        Placement placement,
        String coldStartSlo,
        Template template,
        List<TrafficTarget> traffic) {
}

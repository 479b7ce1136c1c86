package dev.ebb.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class JsonMergePatchTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String patch(String target, String patch) {
        return JSON.writeValueAsString(JsonMergePatch.apply(JSON.readTree(target), JSON.readTree(patch)));
    }

    @Test
    void mergesObjectsRemovesNullsAndReplacesTheRest() {
        assertThat(patch("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}", "{\"a\":\"z\",\"c\":{\"f\":null}}"))
                .isEqualTo("{\"a\":\"z\",\"c\":{\"d\":\"e\"}}");
        assertThat(patch("{\"a\":[1,2]}", "{\"a\":[3]}")).isEqualTo("{\"a\":[3]}");
        assertThat(patch("{\"a\":\"b\"}", "{\"b\":{\"c\":null}}")).isEqualTo("{\"a\":\"b\",\"b\":{}}");
    }
}

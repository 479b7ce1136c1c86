package dev.ebb.revision;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class TemplateDiffTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static JsonNode json(String text) {
        return JSON.readTree(text);
    }

    @Test
    void namesEachChangedSettingByItsPath() {
        List<TemplateDiff.Change> changes = TemplateDiff.between(
                json("{\"image\":\"m:1\",\"env\":{\"A\":\"1\",\"B\":\"2\"},\"scale\":{\"max\":3}}"),
                json("{\"image\":\"m:2\",\"env\":{\"A\":\"1\",\"C\":\"3\"},\"scale\":{\"max\":3}}"));
        assertThat(changes).extracting(TemplateDiff.Change::path, TemplateDiff.Change::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("env.B", "removed"),
                org.assertj.core.groups.Tuple.tuple("env.C", "added"),
                org.assertj.core.groups.Tuple.tuple("image", "changed"));
        assertThat(changes.get(2).from().asString()).isEqualTo("m:1");
        assertThat(changes.get(2).to().asString()).isEqualTo("m:2");
    }

    @Test
    void listsCompareAsWholeValues() {
        List<TemplateDiff.Change> changes = TemplateDiff.between(json("{\"args\":[\"a\",\"b\"]}"), json("{\"args\":[\"a\",\"c\"]}"));
        assertThat(changes).singleElement().satisfies(c -> assertThat(c.path()).isEqualTo("args"));
    }

    @Test
    void identicalTemplatesHaveNoChanges() {
        assertThat(TemplateDiff.between(json("{\"image\":\"m:1\"}"), json("{\"image\":\"m:1\"}"))).isEmpty();
        assertThat(TemplateDiff.summary(List.of())).isEqualTo("no template change");
    }
}

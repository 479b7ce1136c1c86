package dev.ebb.cluster;

import static dev.ebb.support.Kubeconfigs.kubeconfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KubeconfigRulesTest {

    private static final String TOKEN = "tok-9f8e7d6c5b4a";

    private static List<String> problems(String kubeconfig) {
        KubeconfigRules.Checked checked = KubeconfigRules.check(kubeconfig);
        assertThat(checked.violations()).allSatisfy(v -> assertThat(v.message()).doesNotContain(TOKEN));
        return checked.violations().stream().map(v -> v.field() + ": " + v.message()).toList();
    }

    @Test
    void aCompleteKubeconfigGivesItsCurrentServerAndContext() {
        KubeconfigRules.Checked checked = KubeconfigRules.check(kubeconfig("https://203.0.113.10:6443", TOKEN));

        assertThat(checked.violations()).isEmpty();
        assertThat(checked.server()).isEqualTo("https://203.0.113.10:6443");
        assertThat(checked.context()).isEqualTo("prod-admin");
    }

    @Test
    void plainHttpIsAllowedOnlyForTheLoopbackInterface() {
        assertThat(problems(kubeconfig("http://127.0.0.1:8001", TOKEN))).isEmpty();
        assertThat(problems(kubeconfig("http://localhost:8001", TOKEN))).isEmpty();
        assertThat(problems(kubeconfig("http://203.0.113.10:6443", TOKEN)))
                .containsExactly("kubeconfig.clusters[0].cluster.server: must use https: plain http is allowed only for "
                        + "localhost and 127.0.0.1, since the API server sees the user's credentials");
    }

    @Test
    void aServerUrlCarryingCredentialsIsRefusedWithoutQuotingIt() {
        List<String> problems = problems(kubeconfig("https://admin:" + TOKEN + "@203.0.113.10", TOKEN));

        assertThat(problems).containsExactly("kubeconfig.clusters[0].cluster.server: must not carry credentials in the URL; "
                + "put them in the context's user");
    }

    @Test
    void aServerThatIsNotAUrlIsRefused() {
        assertThat(problems(kubeconfig("203.0.113.10:6443", TOKEN)))
                .singleElement().asString().endsWith("is not a URL; write the API server as https://<host>[:port]");
        assertThat(problems(kubeconfig("ftp://203.0.113.10", TOKEN)))
                .singleElement().asString().endsWith("must be an https:// URL with a host, such as https://203.0.113.10:6443");
    }

    @Test
    void aMissingKubeconfigSaysWhatToSend() {
        assertThat(problems(null)).singleElement().asString().startsWith("kubeconfig: is required");
        assertThat(problems("  ")).singleElement().asString().startsWith("kubeconfig: is required");
    }

    @Test
    void yamlThatDoesNotParseGivesThePositionButNoneOfTheText() {
        String broken = kubeconfig("https://203.0.113.10", TOKEN).replace("token: " + TOKEN, "token: \"" + TOKEN);

        assertThat(problems(broken)).singleElement().asString()
                .startsWith("kubeconfig: is not valid YAML at line ")
                .endsWith("check the indentation, quoting and duplicate keys there");
    }

    @Test
    void aDuplicateKeyIsNotValid() {
        String duplicated = kubeconfig("https://203.0.113.10", TOKEN) + "current-context: prod-admin\n";

        assertThat(problems(duplicated)).singleElement().asString().startsWith("kubeconfig: is not valid YAML at line");
    }

    @Test
    void textThatIsNotAMappingSaysWhatAKubeconfigLooksLike() {
        assertThat(problems(TOKEN)).containsExactly("kubeconfig: must be a YAML mapping with 'clusters', 'contexts', 'users' "
                + "and 'current-context', as kubectl writes it; this is a single value");
        assertThat(problems("- a\n- b\n")).singleElement().asString().endsWith("this is a list");
    }

    @Test
    void javaTypeTagsAreNotConstructed() {
        assertThat(problems("!!java.net.URL [\"http://example.com\"]\n")).singleElement().asString()
                .startsWith("kubeconfig: is not valid YAML");
    }

    @Test
    void everyMissingSectionIsNamed() {
        assertThat(problems("apiVersion: v1\nkind: Config\n")).containsExactly(
                "kubeconfig.clusters: is missing: a kubeconfig lists its clusters as entries with a 'name'",
                "kubeconfig.contexts: is missing: a kubeconfig lists its contexts as entries with a 'name'",
                "kubeconfig.users: is missing: a kubeconfig lists its users as entries with a 'name'",
                "kubeconfig.current-context: is missing: set it to the name of the context Ebb should use");
    }

    @Test
    void aCurrentContextThatIsNotListedNamesTheContextsThatAre() {
        String other = kubeconfig("https://203.0.113.10", TOKEN).replace("current-context: prod-admin", "current-context: dev");

        assertThat(problems(other)).containsExactly(
                "kubeconfig.current-context: names context 'dev', which is not in 'contexts' (contexts: 'prod-admin')");
    }

    @Test
    void aContextWhoseClusterOrUserIsNotListedSaysWhich() {
        String dangling = kubeconfig("https://203.0.113.10", TOKEN)
                .replace("    cluster: prod\n", "    cluster: staging\n")
                .replace("    user: admin\n", "    user: deployer\n");

        assertThat(problems(dangling)).containsExactly(
                "kubeconfig.contexts[0].context.cluster: names cluster 'staging', which is not in 'clusters' (clusters: 'prod')",
                "kubeconfig.contexts[0].context.user: names user 'deployer', which is not in 'users' (users: 'admin')");
    }

    @Test
    void aClusterWithoutServerIsNamedByItsPath() {
        String noServer = kubeconfig("https://203.0.113.10", TOKEN).replace("    server: https://203.0.113.10\n", "");

        assertThat(problems(noServer)).containsExactly("kubeconfig.clusters[0].cluster.server: is missing: the cluster's API "
                + "server URL, such as https://203.0.113.10:6443");
    }
}

package dev.ebb.support;

/** Kubeconfig documents for the cluster API, small enough to read in a test. */
public final class Kubeconfigs {

    private Kubeconfigs() {
    }

    /** A kubeconfig whose current context reaches {@code server} as a user holding {@code token}. */
    public static String kubeconfig(String server, String token) {
        return """
                apiVersion: v1
                kind: Config
                clusters:
                - name: prod
                  cluster:
                    server: %s
                    certificate-authority-data: LS0tLS1CRUdJTi1DQS0tLS0t
                contexts:
                - name: prod-admin
                  context:
                    cluster: prod
                    user: admin
                current-context: prod-admin
                users:
                - name: admin
                  user:
                    token: %s
                """.formatted(server, token);
    }

    /** The JSON body of a cluster: a name and a kubeconfig, JSON-escaped. */
    public static String clusterBody(String name, String kubeconfig) {
        return "{\"name\": \"" + name + "\", \"description\": \"test cluster\", \"kubeconfig\": " + jsonString(kubeconfig) + "}";
    }

    public static String jsonString(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                default -> out.append(c);
            }
        }
        return out.append('"').toString();
    }
}

package dev.ebb.image;

import java.time.Duration;
import java.util.List;

/**
 * Why an image could not be resolved, and the sentence a revision's {@code ImageResolved} condition shows for it:
 * which registry, what happened, and what to do about it.
 *
 * @param registry the registry as the image names it, such as {@code localhost:5000}
 * @param image the image as the template names it
 * @param detail what the failure needs beyond its kind: the status line, the TLS error, the timeout, the setting
 *     that made Ebb speak plain HTTP
 * @param tags some tags the repository has, for an unknown tag
 * @param credential the stored credential Ebb used, null when it went anonymous
 */
public record ResolutionFailure(Kind kind, String registry, String repository, String image, String detail,
        List<String> tags, Credential credential) {

    /** How many of a repository's tags an unknown-tag message lists. */
    static final int TAGS_SHOWN = 5;

    public ResolutionFailure {
        tags = tags == null ? List.of() : List.copyOf(tags);
    }

    /** The stored credential a request carried. */
    public record Credential(String name, String username) {
    }

    /**
     * The kinds of failure, each with the reason its condition shows and whether it passes by itself. A failure that
     * does not (the tag is not there, the credentials are wrong) is tried again when the service changes, when the
     * namespace's registry credentials change, or when an operator retries the revision.
     */
    public enum Kind {
        UNKNOWN_TAG("TagNotFound", false),
        UNKNOWN_REPOSITORY("RepositoryNotFound", false),
        UNAUTHORIZED("Unauthorized", false),
        FORBIDDEN("Forbidden", false),
        TLS_TO_PLAIN_HTTP("RegistryIsPlainHttp", false),
        PLAIN_HTTP_TO_TLS("RegistryIsHttps", false),
        UNTRUSTED_CERTIFICATE("CertificateNotTrusted", false),
        TIMEOUT("RegistryTimeout", true),
        DNS("RegistryHostUnknown", true),
        CONNECTION_REFUSED("RegistryUnreachable", true),
        SERVER_ERROR("RegistryError", true),
        UNEXPECTED_ANSWER("UnexpectedRegistryAnswer", true);

        private final String reason;
        private final boolean passing;

        Kind(String reason, boolean passing) {
            this.reason = reason;
            this.passing = passing;
        }

        public String reason() {
            return reason;
        }

        /** Whether the failure may pass by itself, so that Ebb tries again with back-off. */
        public boolean passing() {
            return passing;
        }

        /** The kind a stored reason names, null for a reason that is no failure's. */
        public static Kind ofReason(String reason) {
            for (Kind kind : values()) {
                if (kind.reason.equals(reason)) {
                    return kind;
                }
            }
            return null;
        }
    }

    public String reason() {
        return kind.reason();
    }

    /**
     * The condition's message.
     *
     * @param namespace the revision's namespace, where credentials for the registry would be stored
     * @param retryIn when Ebb tries again by itself, null when it waits for a change
     */
    public String message(String namespace, Duration retryIn) {
        String credentials = "/api/v1/namespaces/" + namespace + "/registry-credentials";
        String text = switch (kind) {
            case UNKNOWN_TAG -> "Registry " + registry + " has no tag '" + tagOf(image) + "' in repository " + repository
                    + (tags.isEmpty() ? ", which has no tags at all" : "; it has " + tagList()) + ". Push the tag, or "
                    + "change the service's image to a tag that exists.";
            case UNKNOWN_REPOSITORY -> "Registry " + registry + " has no repository " + repository + ". Check the image "
                    + "name in the service's template (" + image + "), or push the image to " + registry + "/" + repository
                    + " first.";
            case UNAUTHORIZED, FORBIDDEN -> credential == null
                    ? "Registry " + registry + " refused anonymous access to " + repository + " (" + detail + "). Add "
                            + "registry credentials for host " + registry + " in namespace " + namespace + " (POST "
                            + credentials + " with \"server\": \"" + registry + "\"); Ebb tries again when they change."
                    : kind == Kind.UNAUTHORIZED
                            ? "Registry " + registry + " rejected registry credential '" + credential.name() + "' (user "
                                    + credential.username() + ") for " + repository + " (" + detail + "). Check its "
                                    + "username and password (PUT " + credentials + "/" + credential.name() + "); Ebb "
                                    + "tries again when it changes."
                            : "Registry " + registry + " denied user " + credential.username() + " of registry credential '"
                                    + credential.name() + "' pulling " + repository + " (" + detail + "). Grant that user "
                                    + "pull access to the repository, or store a credential that has it (PUT " + credentials
                                    + "/" + credential.name() + "); Ebb tries again when it changes.";
            case TLS_TO_PLAIN_HTTP -> "Registry " + registry + " answers in plain HTTP, but Ebb spoke HTTPS to it: only "
                    + "registries listed as plain HTTP are spoken to without TLS. If " + registry + " is meant to be plain "
                    + "HTTP, add it to EBB_REGISTRY_PLAIN_HTTP or set \"plainHttp\": true on its registry credential in "
                    + "namespace " + namespace + "; otherwise make it serve HTTPS.";
            case PLAIN_HTTP_TO_TLS -> "Registry " + registry + " expects HTTPS, but Ebb spoke plain HTTP to it because "
                    + detail + ". Take it off that list, or make the registry serve plain HTTP.";
            case UNTRUSTED_CERTIFICATE -> "Registry " + registry + " presented a certificate Ebb does not trust (" + detail
                    + "). Add the CA certificate that signed it (PEM) as \"caBundle\" of the registry credential for "
                    + registry + " in namespace " + namespace + ", or to the trust store of Ebb's JVM.";
            case TIMEOUT -> "Registry " + registry + " did not answer within " + detail + ". Check that it is up and "
                    + "reachable from Ebb, or raise EBB_REGISTRY_TIMEOUT.";
            case DNS -> "Registry host " + host() + " is not known to DNS. Check the registry part of the image " + image
                    + ", and that Ebb's resolver knows the host.";
            case CONNECTION_REFUSED -> "Registry " + registry + " refused the connection: nothing listens on " + detail
                    + ". Check that the registry runs and that the image names its host and port.";
            case SERVER_ERROR -> "Registry " + registry + " failed answering for " + repository + " (" + detail + "); "
                    + "this is the registry's own error, see its logs.";
            case UNEXPECTED_ANSWER -> "Registry " + registry + " gave an answer Ebb cannot use for " + repository + " ("
                    + detail + "). Check that " + registry + " is an OCI Distribution (Docker v2) registry.";
        };
        return retryIn == null ? text : text + " Ebb tries again in " + Durations.spoken(retryIn) + ".";
    }

    private String tagList() {
        List<String> shown = tags.size() > TAGS_SHOWN ? tags.subList(0, TAGS_SHOWN) : tags;
        String list = String.join(", ", shown);
        return tags.size() > TAGS_SHOWN ? list + " and " + (tags.size() - TAGS_SHOWN) + " more" : list;
    }

    private String host() {
        int colon = registry.indexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }

    private static String tagOf(String image) {
        ImageName name = ImageName.parse(image);
        return name.tag();
    }
}

package dev.ebb.spec;

import java.util.regex.Pattern;

/** Naming rules shared with Kubernetes and Knative: DNS labels, revision names and the host names of services and tags. */
public final class Names {

    /** A revision is named {@code <service>-<generation padded to 5>}, so a service name leaves room for 6 characters. */
    public static final int MAX_SERVICE_NAME = 63 - 6;
    public static final int MAX_LABEL = 63;

    private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern GENERATED = Pattern.compile("[0-9]{5}");
    private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

    private Names() {
    }

    /**
     * The first label of the host name of a service ({@code tag} null) or of one of its tags, and the name of the
     * Kubernetes Service that stands for it: {@code <service>}, or {@code <tag>-<service>} as Knative names tag routes.
     */
    public static String hostLabel(String service, String tag) {
        return tag == null ? service : tag + "-" + service;
    }

    /** The host name of a service or tag ({@link #hostLabel}) in a namespace under a domain: {@code <label>.<namespace>.<domain>}. */
    public static String host(String label, String namespace, String domain) {
        return label + "." + namespace + "." + domain;
    }

    public static String revisionName(String service, int generation) {
        return String.format("%s-%05d", service, generation);
    }

    /** The name the revision of {@code template} gets: the one it gives, or {@code <service>-<generation>}. */
    public static String revisionName(String service, int generation, Template template) {
        return template != null && template.revisionName() != null ? template.revisionName() : revisionName(service, generation);
    }

    /**
     * Why a revision name a template gives cannot name the revision of generation {@code generation} of {@code service},
     * or null when it can. As in Knative it starts with {@code <service>-}; a name of the form Ebb generates is taken
     * only for the generation it stands for, so that it never takes a later generation's name.
     */
    public static String givenRevisionNameProblem(String service, String given, int generation) {
        String problem = dns1123Problem(given, MAX_LABEL);
        if (problem != null) {
            return problem;
        }
        if (!given.startsWith(service + "-")) {
            return "is '" + given + "'; a revision's name starts with its service's name and '-', e.g. '" + service + "-v2'";
        }
        if (GENERATED.matcher(given.substring(service.length() + 1)).matches() && !given.equals(revisionName(service, generation))) {
            return "is '" + given + "', a name Ebb gives generation " + Integer.parseInt(given.substring(service.length() + 1))
                    + "; this template becomes generation " + generation + ": use '" + revisionName(service, generation)
                    + "', another name such as '" + service + "-v" + generation + "', or leave it out";
        }
        return null;
    }

    public static boolean isDns1123Label(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS_1123_LABEL.matcher(value).matches();
    }

    public static boolean isDns1035Label(String value) {
        return value != null && value.length() <= MAX_LABEL && DNS_1035_LABEL.matcher(value).matches();
    }

    /** Why {@code value} is not a valid DNS-1123 label of at most {@code maxLength} characters, or null when it is. */
    public static String dns1123Problem(String value, int maxLength) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.length() > maxLength) {
            return "must be at most " + maxLength + " characters, is " + value.length();
        }
        if (!DNS_1123_LABEL.matcher(value).matches()) {
            return "'" + value + "' must consist of lower-case letters, digits and '-', and start and end with a letter or digit (a DNS-1123 label such as 'my-model')";
        }
        return null;
    }
}

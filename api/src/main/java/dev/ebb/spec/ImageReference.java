package dev.ebb.spec;

import java.util.regex.Pattern;

/** The OCI image reference grammar of distribution/reference: {@code [registry[:port]/]path[:tag][@digest]}. */
public final class ImageReference {

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*(?::[0-9]+)?";
    private static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String NAME = "(?:" + DOMAIN + "/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    private static final String TAG = "[\\w][\\w.-]{0,127}";
    private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
    private static final Pattern REFERENCE = Pattern.compile("(" + NAME + ")(?::" + TAG + ")?(?:@" + DIGEST + ")?");
    private static final int MAX_NAME_LENGTH = 255;

    private ImageReference() {
    }

    /** Why {@code image} is not a valid reference, or null when it is. */
    public static String problem(String image) {
        if (image.isBlank()) {
            return "must not be blank; give an image such as 'ghcr.io/acme/model:1.0'";
        }
        var match = REFERENCE.matcher(image);
        if (!match.matches()) {
            if (REFERENCE.matcher(image.toLowerCase(java.util.Locale.ROOT)).matches()) {
                return "'" + image + "' is not a valid image reference: repository names must be lower-case";
            }
            return "'" + image + "' is not a valid image reference; expected [registry[:port]/]repository[:tag][@sha256:digest], e.g. 'ghcr.io/acme/model:1.0'";
        }
        if (match.group(1).length() > MAX_NAME_LENGTH) {
            return "the repository name must be at most " + MAX_NAME_LENGTH + " characters";
        }
        return null;
    }
}

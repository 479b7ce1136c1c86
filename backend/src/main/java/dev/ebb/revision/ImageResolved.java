package dev.ebb.revision;

import dev.ebb.spec.Template;
import java.time.Instant;

/**
 * The {@code ImageResolved} condition of a revision: whether the digest its instances run is known. A template that
 * names its image by tag starts Unknown until the resolver asks the registry; one that names a digest is used as is;
 * one without an image (the local runtime's command) has nothing to resolve, and the revision's view leaves the
 * condition out.
 */
public final class ImageResolved {

    public static final String TYPE = "ImageResolved";
    public static final String RESOLVING = "Resolving";
    public static final String RESOLVED = "Resolved";
    public static final String PINNED = "Pinned";
    public static final String SKIPPED = "Skipped";
    public static final String NO_IMAGE = "NoImage";
    /** The reason of a revision's Ready condition while its image is being resolved. */
    public static final String READY_REASON_RESOLVING = "ResolvingImage";

    private ImageResolved() {
    }

    /** The condition a new revision starts with. */
    public static Condition initial(Template template, Instant now) {
        String image = template.image();
        if (image == null) {
            return new Condition(TYPE, Condition.TRUE, NO_IMAGE, "The template names no image; nothing to resolve.", now);
        }
        if (image.contains("@")) {
            return new Condition(TYPE, Condition.TRUE, PINNED, "The image names a digest and is used as is: " + image + ".",
                    now);
        }
        return resolving(image, now);
    }

    /** Unknown while the registry is asked. */
    public static Condition resolving(String image, Instant now) {
        return new Condition(TYPE, Condition.UNKNOWN, RESOLVING, "Resolving " + image + " to a digest.", now);
    }

    /** The Ready condition of a revision waiting for its image. */
    public static Condition readyWhileResolving(String image, Instant now) {
        return new Condition("Ready", Condition.UNKNOWN, READY_REASON_RESOLVING, "Waiting for " + image
                + " to be resolved to a digest; no instance starts before.", now);
    }
}

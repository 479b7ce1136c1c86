package dev.ebb.image;

/** An image could not be resolved; {@link #failure()} says why in terms a revision's condition can show. */
public final class ResolutionException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient ResolutionFailure failure;

    public ResolutionException(ResolutionFailure failure) {
        super(failure.kind() + " " + failure.registry() + "/" + failure.repository() + ": " + failure.detail());
        this.failure = failure;
    }

    public ResolutionFailure failure() {
        return failure;
    }
}

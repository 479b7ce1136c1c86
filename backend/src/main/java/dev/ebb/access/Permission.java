package dev.ebb.access;

/** Something a caller asks to do in a namespace. */
public enum Permission {
    READ(Role.VIEWER),
    DEPLOY(Role.DEPLOYER),
    /** Make a service reachable from outside the cluster: deployers need the grant's {@code publish} flag. */
    PUBLISH(Role.ADMIN),
    ADMINISTER(Role.ADMIN);

    private final Role least;

    Permission(Role least) {
        this.least = least;
    }

    /** The least role that carries this permission by itself. */
    public Role least() {
        return least;
    }
}

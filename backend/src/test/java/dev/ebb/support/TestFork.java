package dev.ebb.support;

/**
 * Which of the build's test JVMs this is: surefire runs the control plane's test classes in two JVMs at once in a whole
 * build (the profile two-test-jvms of backend/pom.xml), in one with {@code -Dtest}, and passes each its number, from 1,
 * as {@code ebb.test.fork} (the argLine in backend/pom.xml). Whatever a test
 * takes from the host that a port-0 bind or a temporary directory cannot make unique (loopback address blocks,
 * network namespaces' addresses, fixed files under {@code target}) is derived from it, so that the JVMs never meet.
 */
public final class TestFork {

    private static final int NUMBER = number(System.getProperty("ebb.test.fork"));

    private TestFork() {
    }

    /**
     * The fork number surefire passed, 1 when it passed none (an IDE). A value that is not a number fails at once: two
     * JVMs that both took it for 1 would share their addresses and fail each other's tests only now and then.
     */
    static int number(String property) {
        if (property == null) {
            return 1;
        }
        try {
            int number = Integer.parseInt(property.trim());
            if (number >= 1) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalStateException("ebb.test.fork is '" + property + "', not a fork number from 1: see the argLine of "
                + "maven-surefire-plugin in backend/pom.xml");
    }

    /** This JVM's number, 1 when surefire did not say (an IDE, a single fork). */
    public static int number() {
        return NUMBER;
    }

    /**
     * The second octet of this JVM's {@code index}-th block of loopback addresses, {@code 127.<octet>.x.y}: blocks 0 to
     * 9 are the first JVM's, 10 to 19 the second's, and so on.
     */
    public static int loopbackBlock(int index) {
        if (index < 0 || index > 9) {
            throw new IllegalArgumentException("a test JVM has loopback blocks 0 to 9, not " + index);
        }
        return (NUMBER - 1) * 10 + index;
    }

    /** {@code 127.<loopbackBlock(index)>.}: the prefix of the addresses of that block. */
    public static String loopbackPrefix(int index) {
        return "127." + loopbackBlock(index) + ".";
    }
}

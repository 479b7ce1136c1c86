package dev.ebb.cli;

/** Whether standard output is a terminal, which decides between a spinner and plain lines. */
public final class Terminals {

    private Terminals() {
    }

    /**
     * The launcher passes {@code -Debb.tty} from the shell's {@code [ -t 1 ]}; run as a bare jar, a console means both
     * standard input and output are terminals.
     */
    public static boolean stdoutIsTerminal() {
        String told = System.getProperty("ebb.tty");
        if (told != null) {
            return Boolean.parseBoolean(told);
        }
        return System.console() != null;
    }
}

package org.relulearn.error;

/**
 * Bad input from the user: a message that names the cause and the fix. The CLI prints it without a
 * stack trace (unless --verbose) and exits with code 2.
 */
public class UserInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserInputException(String message) {
        super(message);
    }

    public UserInputException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * The user-input error behind {@code t}: a UserInputException in its cause chain or, when Spark
     * shipped a task's failure to the driver only as text (its message then contains
     * {@code "org.relulearn.error.UserInputException: <message>\n\tat ..."}), one rebuilt from that
     * text. Null if there is none.
     */
    public static UserInputException findIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserInputException u) return u;
        }
        String marker = UserInputException.class.getName() + ": ";
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String msg = c.getMessage();
            int at = msg == null ? -1 : msg.indexOf(marker);
            if (at < 0) continue;
            String text = msg.substring(at + marker.length());
            for (String end : new String[] {"\n\tat ", "\n\nDriver stacktrace", "\nDriver stacktrace"}) {
                int cut = text.indexOf(end);
                if (cut >= 0) text = text.substring(0, cut);
            }
            return new UserInputException(text.strip(), t);
        }
        return null;
    }
}

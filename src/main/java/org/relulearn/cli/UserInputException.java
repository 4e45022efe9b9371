package org.relulearn.cli;

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
}

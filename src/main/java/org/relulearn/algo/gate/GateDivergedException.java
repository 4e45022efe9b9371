package org.relulearn.algo.gate;

/** The iterates blew up: the step size is too large (a user-input error with its fix). */
public final class GateDivergedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public GateDivergedException(String message) {
        super(message);
    }
}

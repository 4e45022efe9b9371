package org.relulearn.algo.moments;

/**
 * A method-of-moments fit refused to return a result because one of its certificates failed
 * (docs/moments.md, Certificates). {@link #check()} names which, so callers and tests can tell a symmetry
 * failure from a degenerate null space; the message names the measured value, the threshold and a fix.
 */
public final class MomentsCertificateException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The certificates that can stop a fit. */
    public enum Check { INPUT, SYMMETRY, SINGULAR_GAP, NULL_GAP, POSITIVE_DEFINITE, DIAGONALISATION, HELD_OUT_FIT }

    private final Check check;

    public MomentsCertificateException(Check check, String message) {
        super(message);
        this.check = check;
    }

    public Check check() { return check; }
}

package org.relulearn.algo.gate;

/**
 * The derived step-size rule of docs/gate.md, Guarantees for a mini-batch of b rows:
 * <pre>
 *   C_b    = m4 / b + (1 - 1/b) lambda_max^2 / 4
 *   kappa(eta) = 1 - eta lambda_min + eta^2 C_b        (E||w_{t+1} - w*||^2 &lt;= kappa E||w_t - w*||^2)
 *   eta*   = lambda_min / (2 C_b),    kappa* = 1 - lambda_min^2 / (4 C_b)
 * </pre>
 * Any eta in (0, lambda_min / C_b) contracts; {@code guaranteed} mode refuses larger steps.
 */
public record StepSizeRule(double lambdaMin, double lambdaMax, double m4, int batch) implements java.io.Serializable {

    public StepSizeRule {
        if (batch < 1) throw new IllegalArgumentException("mini-batch size b must be >= 1, got " + batch);
    }

    public static StepSizeRule of(PilotStatistics p, int batch) {
        return new StepSizeRule(p.lambdaMin(), p.lambdaMax(), p.m4(), batch);
    }

    public double cb() {
        return m4 / batch + (1 - 1.0 / batch) * lambdaMax * lambdaMax / 4;
    }

    public double etaStar() { return lambdaMin / (2 * cb()); }

    /** The largest step the second-moment bound allows: lambda_min / C_b. */
    public double guaranteedLimit() { return lambdaMin / cb(); }

    public double kappa(double eta) { return 1 - eta * lambdaMin + eta * eta * cb(); }

    public double kappaStar() { return 1 - lambdaMin * lambdaMin / (4 * cb()); }

    /** Iterations T(eps) = ceil(log(e0^2 / eps^2) / -log(kappa)) to bring the expected error from e0 to eps. */
    public long iterationsFor(double eta, double e0, double eps) {
        double k = kappa(eta);
        if (!(k < 1)) return Long.MAX_VALUE;
        return (long) Math.ceil(Math.log(e0 * e0 / (eps * eps)) / -Math.log(k));
    }
}

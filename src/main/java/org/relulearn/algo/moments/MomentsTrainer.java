package org.relulearn.algo.moments;

import java.util.ArrayList;
import java.util.List;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;

/**
 * Fits y = A relu(W x) + xi under a symmetric input law by the method of moments of Ge, Kuditipudi,
 * Li and Wang (docs/moments.md, Algorithm): pass 1 ({@link MomentAggregator}) gives B = A W; pass 2
 * ({@link DetectorMomentAggregator}) the pure-neuron-detector moment; the driver steps
 * ({@link MomentsSolver}) the detectors, At, the signs and W; pass 3 ({@link RefitAggregator}) the
 * least-squares A; an evaluation pass ({@link PredictionErrorAggregator}) the held-out error.
 *
 * <p>Every certificate is checked and a failed one stops the fit with a
 * {@link MomentsCertificateException} naming it: non-finite input, the symmetry statistic, the
 * singular-value gap of B at k, the null gap, the positive-definite margin (or, for the paper-style
 * diagonalisation, all-complex eigenvalues), and a held-out error no
 * better than the linear fit (1/2) B x. No failure returns a silent result: a null gap within a factor 2
 * of its threshold adds a warning to {@link MomentsResult#messages()}.
 */
public final class MomentsTrainer {
    private MomentsTrainer() {}

    /** Fits on {@code data} and reports the prediction certificate in-sample. */
    public static MomentsResult fit(PassRunner runner, Data data, MomentsOptions options) {
        return fit(runner, data, null, options);
    }

    /**
     * @param heldOut data for the prediction certificate (same d and m), or null to use {@code data}
     */
    public static MomentsResult fit(PassRunner runner, Data data, Data heldOut, MomentsOptions options) {
        int d = data.d(), l = data.m();
        if (l < 1) throw new MomentsCertificateException(MomentsCertificateException.Check.INPUT,
                "the method of moments needs labels y; the data has none");
        if (heldOut != null && (heldOut.d() != d || heldOut.m() != l)) {
            throw new IllegalArgumentException("held-out data has d=" + heldOut.d() + ", m=" + heldOut.m() + " but the training data has d="
                    + d + ", m=" + l);
        }
        List<String> messages = new ArrayList<>();
        double[] seconds = new double[4];
        long t = System.nanoTime();
        Moments mo = runner.aggregate(data, () -> new MomentAggregator(d, l), "moments: pass 1/3 (moment sums)").result();
        seconds[0] = (System.nanoTime() - t) / 1e9;
        long n = mo.n();
        if (!mo.allFinite()) throw new MomentsCertificateException(MomentsCertificateException.Check.INPUT,
                "the data contain NaN or infinite values: remove or impute those rows");

        double sym = MomentsSolver.symmetryStatistic(mo);
        double symLimit = options.symmetryTolerance() + 3 * Math.sqrt((double) d / n);
        if (sym > symLimit) {
            throw new MomentsCertificateException(MomentsCertificateException.Check.SYMMETRY, String.format("the inputs are not"
                    + " symmetric: ||mean x|| / sqrt(tr Sigma_x / d) = %.4g exceeds %.4g; the method needs x and -x to have the same"
                    + " law (do not fix this by centring: a mean shift changes the model); raise the tolerance only if the"
                    + " asymmetry is sampling noise", sym, symLimit));
        }
        double[] b = MomentsSolver.linearPart(mo);
        int k = options.k();
        if (k == 0) {
            double[] s = org.relulearn.linalg.Svd.of(b, l, d).values();
            k = MomentsSolver.chooseK(s);
            messages.add("k = " + k + " chosen from the largest gap of B's singular values " + java.util.Arrays.toString(s));
        }
        if (k > Math.min(d, l)) throw new MomentsCertificateException(MomentsCertificateException.Check.INPUT,
                "hidden width k = " + k + " exceeds min(d, l) = " + Math.min(d, l) + ": the method needs k <= d and k <= l");
        long kp = k * (k + 1L) / 2;
        if (n <= kp) throw new MomentsCertificateException(MomentsCertificateException.Check.INPUT,
                "N = " + n + " rows cannot determine the " + kp + "-dimensional detector map; use many more rows (about 100 k^2 d^2)");
        if (n < 100.0 * k * k * d * d) {
            messages.add(String.format("warning: N = %d is below 100 k^2 d^2 = %.3g; fourth-moment estimates will be noisy", n, 100.0 * k * k * d * d));
        }
        MomentsSolver.OutputBasis basis = MomentsSolver.outputBasis(b, l, d, k);
        if (basis.gap() < options.minSingularGap()) {
            throw new MomentsCertificateException(MomentsCertificateException.Check.SINGULAR_GAP, String.format("B's singular values"
                    + " %s have a gap S_k/S_(k+1) = %.3g at k = %d, below %.3g: k is wrong or A or W is rank-deficient; choose k"
                    + " at a clear gap", java.util.Arrays.toString(basis.singularValues()), basis.gap(), k, options.minSingularGap()));
        }

        boolean reduced = switch (options.weighting()) {
            case FULL -> false;
            case REDUCED -> true;
            case AUTO -> MomentsOptions.fullWeightingBytes(d, k) > options.memoryCapBytes();
        };
        if (reduced && options.weighting() == MomentsOptions.Weighting.AUTO) {
            messages.add(String.format("reduced-x weighting: full-x G would take %.1f MB per partition, above the %.1f MB cap",
                    MomentsOptions.fullWeightingBytes(d, k) / 1e6, options.memoryCapBytes() / 1e6));
        }
        double[] vr = reduced ? basis.vk() : null;
        int q = reduced ? k : d;
        DetectorProjection proj = new DetectorProjection(l, k, d, basis.p(), basis.bt(), vr);
        t = System.nanoTime();
        Shared<DetectorProjection> shared = runner.share(proj);
        DetectorMoment g = runner.aggregate(data, () -> new DetectorMomentAggregator(shared), "moments: pass 2/3 (detector moment)").result();
        shared.release();
        seconds[1] = (System.nanoTime() - t) / 1e9;
        if (g.skewnessExcess() > options.symmetryTolerance()) {
            throw new MomentsCertificateException(MomentsCertificateException.Check.SYMMETRY, String.format("the inputs are not"
                    + " symmetric: along a direction the fit uses, the standardised third moment E[z^3]/E[z^2]^(3/2) is %.4g,"
                    + " %.4g beyond four standard errors (tolerance %.3g); the method needs x and -x to have the same law (zero"
                    + " mean is not enough)", g.maxSkewness(), g.skewnessExcess(), options.symmetryTolerance()));
        }

        double[] sigmaR = MomentsSolver.weightingCovariance(mo.secondX(), d, vr);
        MomentsSolver.NullSpace ns = MomentsSolver.nullSpace(MomentsSolver.linearMap(g), k, sigmaR, q);
        if (ns.nullGap() < options.minNullGap()) {
            throw new MomentsCertificateException(MomentsCertificateException.Check.NULL_GAP, String.format("the detector null gap"
                    + " is %.3g, below %.3g: the distinguishing matrix is near-degenerate for this input law (or N is too small),"
                    + " so the hidden units cannot be separated; use more rows or check the input law", ns.nullGap(), options.minNullGap()));
        }
        if (ns.nullGap() < 2 * options.minNullGap()) {
            messages.add(String.format("warning: the detector null gap %.3g is within a factor 2 of the failure threshold %.3g;"
                    + " the hidden units are barely separable and the recovered W may be inaccurate even when the prediction"
                    + " error is small", ns.nullGap(), options.minNullGap()));
        }
        MomentsSolver.Diagonalisation diag;
        boolean paper = options.diagonaliser() == MomentsOptions.Diagonaliser.PAPER;
        try {
            diag = paper ? MomentsSolver.pairDiagonalisation(ns.z(), k, options.seed(), 20)
                    : MomentsSolver.whitenedDiagonalisation(ns.z(), k, options.seed());
        } catch (IllegalArgumentException e) {
            throw new MomentsCertificateException(paper ? MomentsCertificateException.Check.DIAGONALISATION
                    : MomentsCertificateException.Check.POSITIVE_DEFINITE, e.getMessage());
        }
        MomentsSolver.Network net = MomentsSolver.network(diag.at(), basis, mo.meanY(), l, d);
        double[] a = net.a(), w = net.w();

        if (options.refit()) {
            t = System.nanoTime();
            Shared<NetworkShape> s3 = runner.share(new NetworkShape(l, k, d, w, null, null));
            a = runner.aggregate(data, () -> new RefitAggregator(s3), "moments: pass 3/3 (refit of A)").refitA();
            s3.release();
            seconds[2] = (System.nanoTime() - t) / 1e9;
        }

        t = System.nanoTime();
        Shared<NetworkShape> se = runner.share(new NetworkShape(l, k, d, w, a, b));
        PredictionErrorAggregator ev = runner.aggregate(heldOut == null ? data : heldOut, () -> new PredictionErrorAggregator(se),
                "moments: held-out prediction error");
        se.release();
        seconds[3] = (System.nanoTime() - t) / 1e9;
        double err = ev.relativeError(), errLin = ev.relativeErrorLinear();
        if (!(err < errLin)) {
            throw new MomentsCertificateException(MomentsCertificateException.Check.HELD_OUT_FIT, String.format("the fitted network"
                    + " predicts %s no better than the linear fit (1/2) B x (relative error %.4g vs %.4g): the recovery failed;"
                    + " check the null gap (%.3g) and the positive-definite margin (%.3g)", heldOut == null ? "the training data" : "held-out data",
                    err, errLin, ns.nullGap(), diag.pdMargin()));
        }
        return new MomentsResult(l, k, d, n, a, w, sym, g.maxSkewness(), basis.singularValues(), basis.gap(), ns.nullGap(), diag.pdMargin(),
                diag.eigenGap(), diag.maxImaginary(), err, errLin, heldOut == null, reduced, net.flipped(), seconds, List.copyOf(messages));
    }
}

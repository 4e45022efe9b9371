package org.relulearn.algo.tensorgd;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.relulearn.algo.tensor.HermiteContractions;
import org.relulearn.algo.tensor.Jennrich;
import org.relulearn.algo.tensor.KclDecomposer;
import org.relulearn.algo.tensor.SymmetricSubspace;
import org.relulearn.data.CounterRng;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Dense;

/**
 * Phase I, the tensor initialisation of Zhong et al. specialised to ReLU (arXiv
 * 1706.03175; docs/tensor-gd.md, Design), as three passes of additive sums and small driver steps:
 * <ol>
 *   <li>pass 1 ({@link InputStatsAggregator}, all rows): validation, ybar, M1hat, M2hat;</li>
 *   <li>pass 2 ({@link SubspaceAggregator}, S2): P2hat = mean(y1 x x^T) - mean(y1) I, then V = top-K
 *       |eigen| vectors (driver, {@link SymmetricSubspace});</li>
 *   <li>pass 3 ({@link ProjectedMomentsAggregator}, S3 and S4): on S3 the projected order-4 statistic
 *       R3 = M4hat(V,V,V,alpha) (alpha) or T4 = M4hat(V,V,V,V) (m4proj), decomposed by
 *       {@link Jennrich} or {@link KclDecomposer} (option {@code decomposer}) into unit uhat_j; on S4a/S4b Q1 = mean(y x), Q2 = V^T M2hat V for RecMagSign:
 *       <pre>
 *   zhat = argmin ||Q1 - sum_j z_j V uhat_j||,  rhat = argmin ||Q2 - sum_j r_j uhat_j uhat_j^T||_F
 *   v_j = sign(rhat_j) (if unknown),  w_j^(0) = (2 zhat_j / v_j) V uhat_j
 *       </pre>
 *       (population z_j = v_j |w_j| s_j / 2, r_j = v_j |w_j| / sqrt(2 pi), s_j = +-1 the orientation of uhat_j).</li>
 * </ol>
 * The order-4 statistic and Q1, Q2, two passes in a four-pass plan, share one pass here (both need
 * only V; docs/tensor-gd.md, Deviations).
 */
public final class TensorInitializer {
    private TensorInitializer() {}

    private static final long ALPHA_STREAM = 0xA1FA_0001L;
    private static final long RANDOM_INIT_STREAM = 0x7A2D_0017L;

    /** Largest d for the packed d x d subspace pass (d(d+1)/2 doubles per partition); above it, block subspace iteration. */
    public static final int PACKED_SUBSPACE_MAX_DIM = 3000;

    /** Largest d for which K can be chosen from the spectrum (1 + HiddenUnitCount.noiseDraws(d) packed d x d sums per partition). */
    public static final int AUTO_K_MAX_DIM = 1000;

    /** Extra columns of the block subspace iteration, and its passes. */
    static final int OVERSAMPLING = 10, SUBSPACE_ITERATIONS = 12;

    private static final long SUBSPACE_STREAM = 0x5B5B_0001L;

    /** The packed/iterative switch point (tests lower it to exercise the iterative path on small d). */
    static int packedSubspaceMaxDim = PACKED_SUBSPACE_MAX_DIM;

    /**
     * Block subspace iteration with Rayleigh-Ritz on S2: Q_0 random orthonormal d x p (p = min(d, K + 10));
     * Z = P2hat Q_t (one pass), Q_{t+1} = orth(Z); after the last pass B = Q^T Z (p x p), V = Q E_K for
     * the K Ritz pairs of largest |theta|. Converges to the top-|eigenvalue| subspace whatever the signs.
     */
    static SymmetricSubspace.Subspace iterativeSubspace(PassRunner runner, Data data, Shared<Phase1Inputs> s2, int d, int k, long seed,
                                                        long[] rowsOut) {
        int p = Math.min(d, k + OVERSAMPLING);
        double[] q = Dense.randomOrthonormalColumns(d, p, new CounterRng(seed, SUBSPACE_STREAM, 0));
        double[] z = null;
        for (int it = 0; it < SUBSPACE_ITERATIONS; it++) {
            Shared<double[]> qs = runner.share(q.clone());
            SubspaceIterationAggregator agg = runner.aggregate(data, () -> new SubspaceIterationAggregator(s2, qs, p),
                    String.format("tensor-gd: pass 2/3 (subspace iteration %d/%d)", it + 1, SUBSPACE_ITERATIONS));
            qs.release();
            rowsOut[0] = agg.count();
            if (agg.count() == 0) throw new IllegalArgumentException("the split S2 (subspace) has no rows: use more rows");
            z = agg.product();
            if (it < SUBSPACE_ITERATIONS - 1) q = orthonormalise(z, d, p);
        }
        double[] b = Dense.multiply(Dense.transpose(q, d, p), p, d, z, p);
        for (int i = 0; i < p; i++) for (int j = 0; j < i; j++) {
            double m = 0.5 * (b[i * p + j] + b[j * p + i]);
            b[i * p + j] = m;
            b[j * p + i] = m;
        }
        SymmetricSubspace.Subspace ritz = SymmetricSubspace.topAbs(b, p, k);
        double[] v = Dense.multiply(q, d, p, ritz.vectors(), k);
        return new SymmetricSubspace.Subspace(d, k, v, ritz.values(), ritz.nextValue(), ritz.gapRatio());
    }

    /** Modified Gram-Schmidt on the columns of a row-major d x p matrix (a dependent column becomes a fresh unit vector). */
    static double[] orthonormalise(double[] a, int d, int p) {
        double[] q = a.clone();
        int fresh = 0;                          // next unit vector to try for a dependent column
        for (int j = 0; j < p; j++) {
            double before = 0;
            for (int i = 0; i < d; i++) before += q[i * p + j] * q[i * p + j];
            for (int pass = 0; pass < 2; pass++) {
                for (int c = 0; c < j; c++) {
                    double dot = 0;
                    for (int i = 0; i < d; i++) dot += q[i * p + j] * q[i * p + c];
                    for (int i = 0; i < d; i++) q[i * p + j] -= dot * q[i * p + c];
                }
            }
            double nrm = 0;
            for (int i = 0; i < d; i++) nrm += q[i * p + j] * q[i * p + j];
            if (!(nrm > 1e-24 * Math.max(before, 1e-300)) && fresh < d) {
                for (int i = 0; i < d; i++) q[i * p + j] = i == fresh ? 1 : 0;
                fresh++;
                j--;                            // orthogonalise the replacement
                continue;
            }
            nrm = Math.sqrt(nrm);
            for (int i = 0; i < d; i++) q[i * p + j] /= nrm;
        }
        return q;
    }

    /** Checks K, n and the first pass; returns the input statistics (pass 1). Adds warnings. */
    public static InputStats validate(PassRunner runner, Data data, TensorGdOptions o, List<String> warnings) {
        int d = data.d();
        if (data.m() != 1) throw new IllegalArgumentException("tensor-gd needs exactly one label column; the data has " + data.m());
        if (o.autoK() && d > AUTO_K_MAX_DIM) {
            throw new IllegalArgumentException("choosing K from the spectrum needs the full d x d moment matrix and "
                    + HiddenUnitCount.noiseDraws(d) + " noise copies, formed for d <= " + AUTO_K_MAX_DIM + "; at d = " + d
                    + " give the number of hidden units (-k N)");
        }
        checkSize(d, o.autoK() ? 1 : o.k(), data.numRows());
        InputStats st = runner.aggregate(data, () -> new InputStatsAggregator(d), "tensor-gd: pass 1/3 (input statistics)").result();
        if (st.firstBadRow() >= 0) {
            throw new IllegalArgumentException("row " + st.firstBadRow() + " holds a NaN or infinite feature or label: remove or impute it");
        }
        if (!(st.varY() > 1e-24 * Math.max(1, st.meanY() * st.meanY()))) {
            throw new IllegalArgumentException(String.format("the labels are constant (y = %.6g on every row): P2hat = 0, nothing to"
                    + " learn; check the label column", st.meanY()));
        }
        double[] check = st.gaussianCheck();
        if (check[0] > 1) {
            String msg = String.format("the inputs do not look standard normal: %s deviates %.1f times the tolerance (6/sqrt(n));"
                    + " the moment formulas hold only for x ~ N(0, I), and centring/whitening the inputs is not allowed for a"
                    + " network without biases (it changes the model)", st.describeEntry((int) check[1]), check[0]);
            if (o.strictGaussian()) throw new IllegalArgumentException(msg + "; drop --strict to continue anyway");
            warnings.add("warning: " + msg);
        }
        return st;
    }

    /** K <= d and n >= 10 d K. */
    static void checkSize(int d, int k, long n) {
        if (k > d) throw new IllegalArgumentException("hidden units K = " + k + " exceed the input dimension d = " + d + ": use K <= d");
        if (n < 10L * d * k) {
            throw new IllegalArgumentException("n = " + n + " rows is too few for d = " + d + ", K = " + k + ": need at least 10 d K = "
                    + 10L * d * k + " rows (far more for a good initialisation)");
        }
    }

    /**
     * Phase I on validated data (or the random baseline start). With K auto ({@link TensorGdOptions#autoK})
     * step 1's pass also chooses K ({@link HiddenUnitCount}); the result's W^(0) has the chosen K rows.
     */
    public static InitResult initialise(PassRunner runner, Data data, InputStats st, TensorGdOptions o, List<String> warnings) {
        int d = data.d(), k = o.k();
        SampleSplit split = new SampleSplit(o.split(), o.seed());
        HiddenUnitCount count = null;
        SubspaceAggregator autoPass = null;
        if (o.autoK()) {
            Shared<Phase1Inputs> s2 = runner.share(new Phase1Inputs(d, 0, split, o.varianceReduction(), st.meanY(), st.m1(), null, null,
                    null, o.variant()));
            autoPass = runner.aggregate(data, () -> new SubspaceAggregator(s2, HiddenUnitCount.noiseDraws(d)), "tensor-gd: pass 2/3 (subspace, P2; choosing K)");
            s2.release();
            if (autoPass.count() <= d) {
                throw new IllegalArgumentException("the split S2 (subspace) has only " + autoPass.count() + " rows: K cannot be chosen;"
                        + " use more rows");
            }
            count = HiddenUnitCount.of(autoPass.p2(), autoPass.noiseMatrices(), d);
            if (count.k() == 0) {
                throw new IllegalArgumentException(String.format("no eigenvalue of P2 clears the noise threshold %.3g (largest |lambda| ="
                        + " %.3g): the labels carry no second-order signal this n can resolve; use more rows, or give -k N",
                        count.threshold(), Math.abs(count.eigenvalues()[0])));
            }
            k = count.k();
            long n = data.numRows();
            if (n < 10L * d * k) {
                throw new IllegalArgumentException(count.describe() + "; but n = " + n + " rows is too few for K = " + k
                        + " (need 10 d K = " + 10L * d * k + "): use more rows or give a smaller -k");
            }
            o = o.withK(k);
        }
        if (o.init() == TensorGdOptions.Init.RANDOM) return randomStart(d, k, o, st, count);
        boolean vr = o.varianceReduction();
        double ybar = st.meanY();
        double[] m1 = st.m1();
        long minRows = Math.max(d, (long) k * k) + 1;

        // Step 1: subspace on S2 (packed d x d pass, or block subspace iteration for large d).
        Shared<Phase1Inputs> s2 = runner.share(new Phase1Inputs(d, k, split, vr, ybar, m1, null, null, null, o.variant()));
        long s2Rows;
        SymmetricSubspace.Subspace subspace;
        if (autoPass != null) {                 // the pass that chose K already holds P2hat
            s2Rows = autoPass.count();
            requireRows("S2 (subspace)", s2Rows, minRows);
            subspace = SymmetricSubspace.topAbs(autoPass.p2(), d, k);
        } else if (d <= packedSubspaceMaxDim) {
            SubspaceAggregator sub = runner.aggregate(data, () -> new SubspaceAggregator(s2), "tensor-gd: pass 2/3 (subspace, P2)");
            s2Rows = sub.count();
            requireRows("S2 (subspace)", s2Rows, minRows);
            subspace = SymmetricSubspace.topAbs(sub.p2(), d, k);
        } else {
            long[] rows = new long[1];
            subspace = iterativeSubspace(runner, data, s2, d, k, o.seed(), rows);
            s2Rows = rows[0];
            requireRows("S2 (subspace)", s2Rows, minRows);
        }
        s2.release();
        if (subspace.gapRatio() < 1.5) {
            warnings.add(String.format("warning: eigen-gap |lambda_K|/|lambda_K+1| = %.3g < 1.5 (eigenvalues %s, next %.4g): W* may be"
                    + " rank-deficient or have near-parallel rows, K may be overstated, or n is too small", subspace.gapRatio(),
                    Arrays.toString(round(subspace.values())), subspace.nextValue()));
        }
        double[] vMat = subspace.vectors();

        // Steps 2-4 statistics on S3 / S4.
        double[] alpha = null;
        if (o.variant() == TensorGdOptions.Variant.ALPHA) {
            CounterRng rng = new CounterRng(o.seed(), ALPHA_STREAM, 0);
            alpha = new double[d];
            for (int j = 0; j < d; j++) alpha[j] = rng.nextGaussian();
            double nrm = Dense.norm(alpha);
            for (int j = 0; j < d; j++) alpha[j] /= nrm;
        }
        double[] mp = vr ? project(st.m2(), vMat, d, k) : null;
        Shared<Phase1Inputs> s3 = runner.share(new Phase1Inputs(d, k, split, vr, ybar, m1, vMat, alpha, mp, o.variant()));
        ProjectedMomentsAggregator.ProjectedMoments pm = runner.aggregate(data, () -> new ProjectedMomentsAggregator(s3),
                "tensor-gd: pass 3/3 (projected order-4 statistic, Q1, Q2)").result();
        s3.release();
        requireRows("S3 (order-4 statistic)", pm.n3(), minRows);
        requireRows("S4a (Q1)", pm.n4a(), minRows);
        requireRows("S4b (Q2)", pm.n4b(), minRows);

        // Step 3: decomposition (Jennrich with restarts, or the faithful KCL: random projections + QRJ1D + plug-in).
        boolean kcl = o.decomposer() == TensorGdOptions.Decomposer.KCL;
        Jennrich.Decomposition dec;
        if (pm.alphaVariant()) {
            double[] beta = new double[k];
            for (int c = 0; c < k; c++) for (int i = 0; i < d; i++) beta[c] += vMat[i * k + c] * alpha[i];
            double[] r3 = HermiteContractions.r3FromSums(pm.highPacked(), pm.s1(), pm.s2(), pm.s0(), pm.n3(), beta, k);
            dec = kcl ? KclDecomposer.decomposeOrder3(r3, k, KclDecomposer.DEFAULT_PROJECTIONS, o.seed())
                    : Jennrich.decomposeOrder3(r3, k, o.jennrichTrials(), o.seed());
        } else {
            double[] t4 = HermiteContractions.t4FromSums(pm.highPacked(), pm.s2(), pm.s0(), pm.n3(), k);
            dec = kcl ? KclDecomposer.decomposeOrder4(t4, k, KclDecomposer.DEFAULT_PROJECTIONS, o.seed())
                    : Jennrich.decomposeOrder4(t4, k, o.jennrichTrials(), o.seed());
        }
        if (dec.relativeResidual() > 0.5) {
            warnings.add(String.format("warning: decomposition residual %.3g > 0.5: the order-4 statistic is dominated by noise"
                    + " (use more rows, variance reduction or the m4proj variant)", dec.relativeResidual()));
        }
        if (dec.maxImaginaryRatio() > 1e-6) {
            warnings.add(String.format("warning: Jennrich kept a trial with complex eigenvalues (|Im|/|lambda| = %.3g); real parts used",
                    dec.maxImaginaryRatio()));
        }
        if (dec.maxAbsCosine() > 0.99) {
            warnings.add(String.format("warning: two recovered directions have |cos| = %.4f > 0.99: K may be overstated or n too small",
                    dec.maxAbsCosine()));
        }

        // Step 4: RecMagSign.
        double[] dirs = new double[k * d];       // row j = V uhat_j (unit)
        for (int j = 0; j < k; j++) {
            for (int i = 0; i < d; i++) {
                double s = 0;
                for (int c = 0; c < k; c++) s += vMat[i * k + c] * dec.components()[j * k + c];
                dirs[j * d + i] = s;
            }
        }
        if (alpha != null) {
            for (int j = 0; j < k; j++) {
                double a = 0;
                for (int i = 0; i < d; i++) a += alpha[i] * dirs[j * d + i];
                if (Math.abs(a) < 0.1 / Math.sqrt(d)) {
                    warnings.add(String.format("warning: alpha . (V uhat_%d) = %.3g is near 0: that component is suppressed in"
                            + " M4(V,V,V,alpha); use another seed or the m4proj variant", j, a));
                }
            }
        }
        double[] q1 = pm.q1Sum().clone();
        for (int i = 0; i < d; i++) q1[i] /= pm.n4a();
        double[] q2 = pm.q2Sum().clone();
        for (int i = 0; i < k * k; i++) q2[i] /= pm.n4b();
        for (int i = 0; i < k; i++) q2[i * k + i] -= pm.q2YSum() / pm.n4b();
        RecMagSign rms = RecMagSign.solve(q1, q2, dirs, dec.components(), k, d);
        double noiseZ = 3 * Math.sqrt(st.varY() / pm.n4a()), noiseR = 3 * Math.sqrt(2 * st.varY() / pm.n4b());
        for (int j = 0; j < k; j++) {
            if (Math.abs(rms.zhat()[j]) < noiseZ || Math.abs(rms.rhat()[j]) < noiseR) {
                warnings.add(String.format("warning: unit %d has |zhat| = %.3g, |rhat| = %.3g at or below the noise level (%.3g, %.3g):"
                        + " its magnitude is unrecoverable at this n", j, Math.abs(rms.zhat()[j]), Math.abs(rms.rhat()[j]), noiseZ, noiseR));
            }
        }
        double[] vKnown = o.v();
        int[] assign = assignUnits(rms.rhat(), vKnown, k);   // assign[i] = component of unit i
        double[] v = new double[k], w0 = new double[k * d], signs = new double[k], zs = new double[k], rs = new double[k];
        int mismatched = 0;
        for (int i = 0; i < k; i++) {
            int j = assign[i];
            double sgn = Math.signum(rms.rhat()[j]);
            signs[i] = sgn;
            v[i] = vKnown == null ? (sgn == 0 ? 1 : sgn) : vKnown[i];
            if (vKnown != null && Math.signum(vKnown[i]) != sgn) mismatched++;
            double scale = 2 * rms.zhat()[j] / v[i];
            for (int c = 0; c < d; c++) w0[i * d + c] = scale * dirs[j * d + c];
            zs[i] = rms.zhat()[j];
            rs[i] = rms.rhat()[j];
        }
        if (mismatched > 0) {
            warnings.add("warning: " + mismatched + " recovered sign(s) of rhat disagree with the known output weights v: the"
                    + " initialisation of those units is unreliable");
        }
        return new InitResult(w0, v, signs, subspace.values(), subspace.nextValue(), subspace.gapRatio(), dec.relativeResidual(),
                dec.maxImaginaryRatio(), dec.maxAbsCosine(), zs, rs, new long[] {s2Rows, pm.n3(), pm.n4a(), pm.n4b()}, false, count);
    }

    /**
     * Pairs recovered components with units: unknown v keeps the component order; known v sorts the
     * components by rhat (descending) and the units by v (descending) so positive units get the
     * components with the most positive rhat.
     */
    static int[] assignUnits(double[] rhat, double[] vKnown, int k) {
        int[] out = new int[k];
        if (vKnown == null) {
            for (int i = 0; i < k; i++) out[i] = i;
            return out;
        }
        Integer[] comps = new Integer[k], units = new Integer[k];
        for (int i = 0; i < k; i++) comps[i] = units[i] = i;
        Arrays.sort(comps, Comparator.comparingDouble((Integer j) -> -rhat[j]).thenComparingInt(j -> j));
        Arrays.sort(units, Comparator.comparingDouble((Integer j) -> -vKnown[j]).thenComparingInt(j -> j));
        for (int p = 0; p < k; p++) out[units[p]] = comps[p];
        return out;
    }

    /** The random baseline: unit-norm Gaussian rows scaled to the typical unit norm implied by tr M2hat. */
    static InitResult randomStart(int d, int k, TensorGdOptions o, InputStats st, HiddenUnitCount count) {
        double[] v = o.v();
        if (v == null) {
            throw new IllegalArgumentException("a random start needs known output weights v (give --v, e.g. all ones): only the tensor"
                    + " initialisation recovers unknown signs");
        }
        CounterRng rng = new CounterRng(o.seed(), RANDOM_INIT_STREAM, 0);
        double[] w = new double[k * d];
        for (int i = 0; i < k; i++) {
            double nrm = 0;
            for (int c = 0; c < d; c++) {
                w[i * d + c] = rng.nextGaussian();
                nrm += w[i * d + c] * w[i * d + c];
            }
            nrm = Math.sqrt(nrm);
            for (int c = 0; c < d; c++) w[i * d + c] /= nrm;
        }
        double[] nan = new double[k];
        Arrays.fill(nan, Double.NaN);
        return new InitResult(w, v, nan, new double[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, nan.clone(),
                nan.clone(), new long[4], true, count);
    }

    /** V^T M V for row-major M (d x d) and V (d x K). */
    static double[] project(double[] m, double[] v, int d, int k) {
        double[] mv = Dense.multiply(m, d, d, v, k);
        return Dense.multiply(Dense.transpose(v, d, k), k, d, mv, k);
    }

    private static void requireRows(String what, long have, long need) {
        if (have < need) {
            throw new IllegalArgumentException("the split " + what + " has only " + have + " rows; it needs at least max(d, K^2) + 1 = "
                    + need + ": use more rows or --split reuse");
        }
    }

    private static double[] round(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) r[i] = Math.round(a[i] * 1e4) / 1e4;
        return r;
    }
}

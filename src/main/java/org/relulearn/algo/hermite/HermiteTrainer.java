package org.relulearn.algo.hermite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.relulearn.algo.tensor.SymmetricSubspace;
import org.relulearn.engine.Data;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.Shared;
import org.relulearn.linalg.Dense;

/**
 * Learns f(x) = sum_{i=1..m} a_i relu(w_i.x + b_i), x ~ N(0, I_d), m <= d, from Hermite moment
 * tensors (Awasthi, Tang, Vijayaraghavan 2021; docs/hermite.md, Algorithm). Every statistic is a
 * mean of per-row functions, one {@link PassRunner} pass each; nothing of order d^3 is formed:
 * <ol>
 *   <li>pass 1 ({@link InputStatsAggregator}): ybar, T1hat = mean((y - ybar) x), the input checks;</li>
 *   <li>pass 2 ({@link SecondOrderAggregator}): T2hat = mean(yc x x^T) - mean(yc) I; V = top-m |eigen|
 *       subspace; m = auto counts |eigenvalues| above c std(yc) sqrt(d/n);</li>
 *   <li>pass 3 ({@link ContractionAggregator}): L matrices M_l = mean(yr [He_3(u)(I,I,g_l) + He_4(u)(I,I,G_l)]),
 *       u = V^T x, whose population is What diag(c_l) What^T with c_{l,i} = a_i [g_3(b_i) g_l.what_i + g_4(b_i) what_i^T G_l what_i]:
 *       g_3 and g_4 never vanish together, so every unit is seen;</li>
 *   <li>driver ({@link PairJennrich}): What from the best-scoring pair M_p pinv(M_q);</li>
 *   <li>pass 4 ({@link CoefficientAggregator}): mu_{k,i} along each unit; driver
 *       ({@link UnitCoefficientFit}): a_i, b_i on a grid and the orientation from mu_1;</li>
 *   <li>[DEV, optional] the affine fit of the residual (three extra ReLU units) and a full-batch
 *       gradient-descent polish over (a, W, b), one pass per iteration ({@link NetworkPassAggregator}).</li>
 * </ol>
 * Bad input (non-finite values, constant labels, m > d, inputs not N(0, I) in strict mode) is an
 * {@link IllegalArgumentException} naming the cause; doubtful fits add warnings to the messages.
 */
public final class HermiteTrainer {
    private HermiteTrainer() {}

    /** Which of {@link HermiteResult#seconds()} is which. */
    public static final List<String> PASS_NAMES = List.of("stats", "order2", "contractions", "coefficients", "affine", "polish", "evaluation");

    public static HermiteResult fit(PassRunner runner, Data data, HermiteOptions options) {
        return fit(runner, data, null, options);
    }

    /**
     * @param heldOut data for the held-out relative error of the model (same d, one label), or null
     */
    public static HermiteResult fit(PassRunner runner, Data data, Data heldOut, HermiteOptions options) {
        return fit(runner, data, heldOut, options, null, null);
    }

    /**
     * The fit, saving the polish state to {@code sink} every k polish iterations (null = never) and,
     * with {@code resume}, skipping the tensor passes (the state holds their result) and continuing the
     * polish from the saved iterate: the final network is bit for bit the uninterrupted run's.
     */
    public static HermiteResult fit(PassRunner runner, Data data, Data heldOut, HermiteOptions options, PolishState.Sink sink,
                                    PolishState resume) {
        if ((sink != null || resume != null) && options.polishIterations() < 1) {
            throw new IllegalArgumentException("polish checkpoints need a polish: give --polish N > 0 (or drop --checkpoint-dir / --resume)");
        }
        PolishState.Prefit pre;
        if (resume == null) {
            pre = tensorFit(runner, data, options);
        } else {
            pre = resume.prefit();
            if (pre.d() != data.d() || resume.nextIteration() > options.polishIterations() + 1) {
                throw new IllegalArgumentException("the checkpoint is of a run with d = " + pre.d() + " and at polish iteration "
                        + (resume.nextIteration() - 1) + "; this run has d = " + data.d() + " and " + options.polishIterations()
                        + " polish iterations: resume with the options and data of the run that wrote it");
            }
        }
        int d = pre.d(), m = pre.units();
        List<String> messages = new ArrayList<>(pre.messages());
        double[] seconds = Arrays.copyOf(pre.seconds(), PASS_NAMES.size());
        ReluNet net = pre.start();
        ReluNet affineUnits;

        double[] losses = new double[0];
        double trainingError = Double.NaN;
        if (options.polishIterations() > 0) {
            long t = System.nanoTime();
            Polish p = polish(runner, data, net, options.polishIterations(), options.polishStep(), options.polishMomentum(), messages,
                    sink, resume, pre);
            net = p.net();
            losses = p.losses();
            trainingError = 2 * p.bestLoss() / pre.varY();
            seconds[5] = since(t);
        }
        ReluNet tensorNet = slice(net, 0, m).canonical();
        affineUnits = slice(net, m, net.units());
        net = tensorNet.concat(affineUnits);

        double heldOutError = Double.NaN;
        if (heldOut != null) {
            long t = System.nanoTime();
            Shared<ReluNet> sNet = runner.share(net);
            heldOutError = runner.aggregate(heldOut, () -> new NetworkPassAggregator(sNet), "hermite: held-out evaluation").relativeError();
            sNet.release();
            seconds[6] = since(t);
        }
        return new HermiteResult(d, pre.n(), m, pre.visibleUnits(), pre.threshold(), pre.eigenvalues(), tensorNet, affineUnits, net,
                pre.tensorOnlyNet(), pre.coefficients(), pre.standardErrors(), pre.unitFits(), pre.jennrichScore(), pre.jennrichImagRatio(),
                pre.directionCondition(), losses, trainingError, heldOutError, seconds, List.copyOf(messages));
    }

    /** Passes 1-4 and the optional affine fit: everything before the polish. */
    private static PolishState.Prefit tensorFit(PassRunner runner, Data data, HermiteOptions options) {
        int d = data.d();
        if (data.m() != 1) throw new IllegalArgumentException("the Hermite fit needs exactly one label per row; the data has "
                + data.m() + " (choose one output column)");
        List<String> messages = new ArrayList<>();
        double[] seconds = new double[PASS_NAMES.size()];
        if (options.units() > d) throw new IllegalArgumentException("m = " + options.units() + " hidden units exceed the input dimension d = "
                + d + ": the full-rank algorithm needs m <= d (the overcomplete algorithm is not implemented)");

        long t = System.nanoTime();
        InputStatsAggregator statsAgg = runner.aggregate(data, () -> new InputStatsAggregator(d), "hermite: pass 1 (statistics)");
        InputStatsAggregator.InputStats stats = statsAgg.result();
        seconds[0] = since(t);
        long n = stats.n();
        if (statsAgg.firstNonFiniteRow() >= 0) {
            throw new IllegalArgumentException("row " + statsAgg.firstNonFiniteRow() + " holds a NaN or infinite value: remove or impute"
                    + " such rows before fitting");
        }
        if (n <= d + 1) throw new IllegalArgumentException("n = " + n + " rows cannot estimate a " + d + "-dimensional second moment;"
                + " use far more rows (about 1e5 or more for the order-3/4 statistics)");
        double varY = stats.varianceY();
        if (!(varY > 1e-24 * (1 + stats.meanY() * stats.meanY()))) {
            throw new IllegalArgumentException("the labels are constant (y = " + stats.meanY() + " in every row): there is nothing to fit");
        }
        checkGaussian(stats, options.strictInput(), messages);

        t = System.nanoTime();
        LabelResidual linear = LabelResidual.linear(options.varianceReduction(), stats.meanY(), stats.t1());
        Shared<LabelResidual> sLinear = runner.share(linear);
        SecondOrderAggregator second = runner.aggregate(data, () -> new SecondOrderAggregator(sLinear), "hermite: pass 2 (order-2 statistic)");
        sLinear.release();
        double[] t2 = second.t2();
        seconds[1] = since(t);
        double threshold = options.autoThreshold() * second.residualStd() * Math.sqrt((double) d / n);
        double[] spectrum = sortedByAbs(Dense.symmetricEigen(t2, d).values());
        int visible = 0;
        while (visible < d && Math.abs(spectrum[visible]) > threshold) visible++;
        int m = options.units();
        if (m == 0) {
            if (visible == 0) throw new IllegalArgumentException(String.format("no order-2 eigenvalue exceeds the noise threshold %.4g"
                    + " (largest |eigenvalue| %.4g): the labels look affine or pure noise at n = %d; use more rows or give m", threshold,
                    Math.abs(spectrum[0]), n));
            m = visible;
            messages.add(String.format("m = %d (auto): order-2 eigenvalues %s, noise threshold %.4g", m,
                    fmt(head(spectrum, Math.min(d, m + 3))), threshold));
        } else if (visible < m) {
            messages.add(String.format("warning: only %d of the m = %d order-2 eigenvalues exceed the noise threshold %.4g (%s): some"
                    + " units are invisible (large |b|, tiny |a|, or parallel w's) or n is too small", visible, m, threshold,
                    fmt(head(spectrum, Math.min(d, m + 1)))));
        }
        SymmetricSubspace.Subspace sub = SymmetricSubspace.topAbs(t2, d, m);
        double[] v = sub.vectors();
        double[] dProj = Dense.multiply(Dense.multiply(Dense.transpose(v, d, m), m, d, t2, d), m, d, v, m);

        t = System.nanoTime();
        LabelResidual full = linear.withSubspace(v, m, dProj);
        Shared<LabelResidual> sFull = runner.share(full);
        Shared<RandomContractions> sRc = runner.share(RandomContractions.draw(m, options.contractions(), options.seed()));
        ContractionAggregator contr = runner.aggregate(data, () -> new ContractionAggregator(sFull, sRc), "hermite: pass 3 (random contractions)");
        sRc.release();
        double[][] mats = contr.matrices();
        seconds[2] = since(t);

        PairJennrich jen;
        try {
            jen = PairJennrich.decompose(mats, m);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (jen.imagRatio() > 1e-2) messages.add(String.format("warning: the kept Jennrich candidate had complex eigenvalues"
                + " (|Im|/|lambda| = %.3g): two units are hard to separate; use more rows or check m", jen.imagRatio()));
        if (jen.score() > 0.1) messages.add(String.format("warning: the recovered directions diagonalise the contractions poorly"
                + " (score %.3g > 0.1): m may be wrong or n too small", jen.score()));
        if (jen.condition() > 1e3) messages.add(String.format("warning: the recovered directions are ill-conditioned (cond %.3g > 1e3):"
                + " s_m(W) is small and the coefficient estimates amplify noise", jen.condition()));

        double[] zn = jen.z().clone(), norms = new double[m];
        for (int i = 0; i < m; i++) {
            double s = 0;
            for (int j = 0; j < m; j++) s += zn[i * m + j] * zn[i * m + j];
            norms[i] = Math.sqrt(s);
            for (int j = 0; j < m; j++) zn[i * m + j] /= norms[i];
        }
        t = System.nanoTime();
        Shared<CoefficientAggregator.UnitProjection> sProj = runner.share(new CoefficientAggregator.UnitProjection(m, zn, norms, options.kmax()));
        CoefficientAggregator coef = runner.aggregate(data, () -> new CoefficientAggregator(sFull, sProj), "hermite: pass 4 (unit coefficients)");
        sProj.release();
        sFull.release();
        double[][] mu = coef.coefficients(), se = coef.standardErrors();
        seconds[3] = since(t);

        List<UnitCoefficientFit> fits = new ArrayList<>();
        double[] w = new double[m * d], b = new double[m], a = new double[m];
        boolean doubtful = false;
        for (int i = 0; i < m; i++) {
            double[] mui = new double[options.kmax() + 1], sei = new double[options.kmax() + 1];
            for (int k = 1; k <= options.kmax(); k++) {
                mui[k] = mu[k][i];
                sei[k] = se[k][i];
            }
            UnitCoefficientFit f = UnitCoefficientFit.fit(mui, sei, options.kmax(), options.biasBound(), options.gridPoints());
            fits.add(f);
            double[] dir = jen.direction(i);
            double nw = 0;
            for (int j = 0; j < d; j++) {
                double s = 0;
                for (int c = 0; c < m; c++) s += v[j * m + c] * dir[c];
                w[i * d + j] = f.sign() * s;
                nw += s * s;
            }
            nw = Math.sqrt(nw);
            for (int j = 0; j < d; j++) w[i * d + j] /= nw;
            b[i] = f.bias();
            a[i] = f.a();
            if (f.invisible()) messages.add(String.format("warning: unit %d: |mu_2| = %.3g is below 3 standard errors (%.3g): the unit is"
                    + " not seen (tiny |a| or large |b|); its part goes to the affine fit", i, Math.abs(mu[2][i]), 3 * se[2][i]));
            if (f.ambiguous()) messages.add(String.format("warning: unit %d: orientation ambiguous (|a| = %.3g is within the noise of mu_1,"
                    + " standard error %.3g); the affine fit absorbs a wrong reflection", i, Math.abs(f.a()), se[1][i]));
            if (f.atEdge()) messages.add(String.format("warning: unit %d: fitted bias %.3g at the edge of the grid [-%.3g, %.3g]: the unit is"
                    + " essentially affine (or zero); raise the bias bound or rely on the affine fit", i, f.bias(), options.biasBound(),
                    options.biasBound()));
            doubtful |= f.invisible() || f.ambiguous() || f.atEdge();
        }
        ReluNet tensorOnly = new ReluNet(d, m, w, b, a);
        ReluNet net = tensorOnly;
        ReluNet affineUnits = new ReluNet(d, 0, new double[0], new double[0], new double[0]);

        boolean affine = switch (options.affineFit()) {
            case ON -> true;
            case OFF -> false;
            case AUTO -> options.units() == 0 || visible < m || doubtful;
        };
        if (affine) {
            t = System.nanoTime();
            Shared<ReluNet> sNet = runner.share(net);
            NetworkPassAggregator res = runner.aggregate(data, () -> new NetworkPassAggregator(sNet), "hermite: affine fit of the residual");
            sNet.release();
            double[] gram = new double[(d + 1) * (d + 1)], rhs = new double[d + 1];
            gram[0] = 1;
            double[] mx = stats.meanX(), sxx = stats.secondX(), rx = res.meanResidualX();
            rhs[0] = res.meanResidual();
            for (int j = 0; j < d; j++) {
                gram[j + 1] = mx[j];
                gram[(j + 1) * (d + 1)] = mx[j];
                rhs[j + 1] = rx[j];
                for (int k = 0; k < d; k++) gram[(j + 1) * (d + 1) + k + 1] = sxx[j * d + k];
            }
            double[] sol = Dense.solveSpd(gram, d + 1, rhs, 1);
            affineUnits = ReluNet.affine(sol[0], Arrays.copyOfRange(sol, 1, d + 1));
            net = net.concat(affineUnits);
            seconds[4] = since(t);
            messages.add(String.format("affine fit: constant %.4g, |linear part| %.4g -> %d extra ReLU units", sol[0],
                    Dense.norm(Arrays.copyOfRange(sol, 1, d + 1)), affineUnits.units()));
        }

        return new PolishState.Prefit(d, n, m, visible, threshold, head(spectrum, Math.min(d, m + 4)), tensorOnly, net, mu, se, fits,
                jen.score(), jen.imagRatio(), jen.condition(), varY, seconds, messages);
    }

    record Polish(ReluNet net, double[] losses, double bestLoss) {}

    /**
     * Full-batch gradient descent on (1/2n) sum (f(x) - y)^2 over every (a, W, b), one pass per
     * iteration (docs/hermite.md, Algorithm, [DEV]), with heavy-ball momentum beta (0 = plain GD):
     * <pre>
     *   v <- beta v - eta grad(theta),   theta <- theta + v
     * </pre>
     * A step that raises the loss is undone: back to the best iterate with v = 0 (a momentum restart);
     * when even the plain gradient step from there raises it, eta is halved.
     */
    static Polish polish(PassRunner runner, Data data, ReluNet start, int iterations, double step, double momentum, List<String> messages) {
        return polish(runner, data, start, iterations, step, momentum, messages, null, null, null);
    }

    /**
     * The polish, saving its state to {@code sink} every k iterations (with {@code prefit}, so a resume
     * can skip the tensor passes) and, with {@code resume}, continuing from a saved state.
     */
    static Polish polish(PassRunner runner, Data data, ReluNet start, int iterations, double step, double momentum, List<String> messages,
                         PolishState.Sink sink, PolishState resume, PolishState.Prefit prefit) {
        ReluNet cur = start, best = null;
        double[] bestGrad = null;
        double bestLoss = Double.POSITIVE_INFINITY, eta = step;
        double[] losses = new double[iterations];
        int halvings = 0;
        int units = start.units(), d = start.d();
        int size = 2 * units + units * d;
        double[] vel = new double[size];
        boolean restarted = false;
        int first = 0;
        if (resume != null) {
            if (resume.velocity().length != size || resume.current().units() != units || resume.current().d() != d) {
                throw new IllegalArgumentException("the checkpoint's network has " + resume.current().units() + " units in d = "
                        + resume.current().d() + ", the run's " + units + " in d = " + d + ": resume with the options and data of the run that wrote it");
            }
            cur = resume.current();
            best = resume.best();
            bestGrad = resume.bestGrad();
            bestLoss = resume.bestLoss();
            eta = resume.eta();
            vel = resume.velocity().clone();
            halvings = resume.halvings();
            restarted = resume.restarted();
            first = resume.nextIteration() - 1;
            System.arraycopy(resume.losses(), 0, losses, 0, first);
        }
        for (int it = first; it < iterations; it++) {
            Shared<ReluNet> s = runner.share(cur);
            NetworkPassAggregator agg = runner.aggregate(data, () -> new NetworkPassAggregator(s),
                    "hermite: polish iteration " + (it + 1) + "/" + iterations);
            s.release();
            double loss = agg.loss();
            losses[it] = loss;
            if (best == null && !Double.isFinite(loss)) {
                throw new ArithmeticException("polish: the loss of the tensor fit is " + loss + " (non-finite labels or a degenerate fit)");
            }
            double[] g;
            ReluNet base;
            if (loss <= bestLoss) {
                best = cur;
                bestLoss = loss;
                bestGrad = agg.gradient();
                g = bestGrad;
                base = cur;
                restarted = false;
            } else {
                if (restarted) {
                    eta *= 0.5;
                    halvings++;
                }
                restarted = true;
                java.util.Arrays.fill(vel, 0);
                g = bestGrad;
                base = best;
            }
            for (int e = 0; e < size; e++) vel[e] = momentum * vel[e] - eta * g[e];
            double[] a = base.a().clone(), b = base.b().clone(), w = base.w().clone();
            for (int i = 0; i < units; i++) {
                a[i] += vel[i];
                b[i] += vel[units + i];
            }
            for (int e = 0; e < units * d; e++) w[e] += vel[2 * units + e];
            cur = new ReluNet(d, units, w, b, a);
            if (sink != null && (it + 1) % sink.every() == 0 && it + 1 < iterations) {
                sink.save(new PolishState(it + 2, cur, best, bestGrad, bestLoss, eta, vel, halvings, restarted,
                        Arrays.copyOf(losses, it + 1), prefit));
            }
        }
        messages.add(String.format("polish: %d passes, loss %.4g -> %.4g, final step %.3g (%d halvings)", iterations, losses[0], bestLoss,
                eta, halvings));
        return new Polish(best, losses, bestLoss);
    }

    static ReluNet slice(ReluNet net, int from, int to) {
        int d = net.d(), u = to - from;
        return new ReluNet(d, u, Arrays.copyOfRange(net.w(), from * d, to * d), Arrays.copyOfRange(net.b(), from, to),
                Arrays.copyOfRange(net.a(), from, to));
    }

    /**
     * The N(0, I) checks of docs/tensor-gd.md, Diagnostics, at six standard errors of each statistic:
     * |mean x_j| <= 6/sqrt(n), |E[x_i x_j] - delta_ij| <= 6/sqrt(n) (6 sqrt(2/n) on the diagonal) and
     * |E[x_j^4] - 3| <= 6 sqrt(96/n). The biases make centring or whitening a re-parametrisation the
     * paper does not cover, so a violation is an error in strict mode.
     */
    static void checkGaussian(InputStatsAggregator.InputStats s, boolean strict, List<String> messages) {
        int d = s.d();
        double rn = Math.sqrt(s.n());
        String worst = null;
        double worstZ = 6;
        for (int j = 0; j < d; j++) {
            double z = Math.abs(s.meanX()[j]) * rn;
            if (z > worstZ) {
                worstZ = z;
                worst = String.format("column %d has mean %.4g", j, s.meanX()[j]);
            }
            z = Math.abs(s.fourthX()[j] - 3) * rn / Math.sqrt(96);
            if (z > worstZ) {
                worstZ = z;
                worst = String.format("column %d has fourth moment %.4g (3 for a standard normal)", j, s.fourthX()[j]);
            }
            for (int k = j; k < d; k++) {
                double e = s.secondX()[j * d + k] - (j == k ? 1 : 0);
                z = Math.abs(e) * rn / (j == k ? Math.sqrt(2) : 1);
                if (z > worstZ) {
                    worstZ = z;
                    worst = j == k ? String.format("column %d has second moment %.4g (1 for a standard normal)", j, s.secondX()[j * d + k])
                            : String.format("columns %d and %d have E[x_i x_j] = %.4g (0 for independent inputs)", j, k, s.secondX()[j * d + k]);
                }
            }
        }
        if (worst == null) return;
        String msg = String.format("the inputs are not standard normal: %s, %.1f standard errors away. The Hermite method needs"
                + " x ~ N(0, I_d); with biases, centring or whitening the inputs would re-parametrise the model and is not done."
                + " Fix the input law (or turn off strict input checks to fit anyway)", worst, worstZ);
        if (strict) throw new IllegalArgumentException(msg);
        messages.add("warning: " + msg);
    }

    static double[] sortedByAbs(double[] values) {
        Double[] boxed = Arrays.stream(values).boxed().toArray(Double[]::new);
        Arrays.sort(boxed, Comparator.comparingDouble((Double x) -> -Math.abs(x)));
        return Arrays.stream(boxed).mapToDouble(Double::doubleValue).toArray();
    }

    static String fmt(double[] v) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? ", " : "").append(String.format("%.4g", v[i]));
        return sb.append(']').toString();
    }

    static double[] head(double[] a, int k) { return Arrays.copyOf(a, k); }

    private static double since(long t) { return (System.nanoTime() - t) / 1e9; }
}

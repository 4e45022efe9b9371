import java.util.*;
import org.relulearn.algo.moments.*;
import org.relulearn.data.*;
import org.relulearn.engine.*;

/**
 * Scratch driver: linearity test of the method of moments with an exactly known population.
 *
 * The input law S is uniform on the 2M points {+s_1, -s_1, ..., +s_M, -s_M}, s_i = d Gaussian draws
 * of CounterRng(lawSeed, 7, i): exactly symmetric, so identities I1-I3 hold exactly for S and the
 * population moments are finite averages over its 2M points. Labels y = A relu(W x) (+ optional
 * noise sigma * g on the sample; the population then gets the exact noise term of pass 2).
 *
 * For a sample of N i.i.d. rows of S (row r: CounterRng(sampleSeed, 3, r), index = floor(u * 2M),
 * then l noise draws) and a scale t, the fit is run on
 *   pass 1:  pop1 + t (smp1 - pop1)
 *   pass 2:  G_pop,t + t (G_smp,t - G_pop,t), both computed in the projection (P_t, Bt_t) of that pass 1
 * with the steps of MomentsTrainer.fit (no refit and no held-out pass: eW depends on neither).
 * t = 0 is the population; t = 1 is the plain fit on the sample; t mimics sqrt(N / N_eff).
 *
 * Usage: LinearityDriver M N sampleSeeds(comma) ts(comma) [sigma] [teacherSeed] [check] [split]
 *   check: also run MomentsTrainer.fit on the in-memory sample (t = 1 must agree)
 *   split: also perturb pass 1 only (G from the population in P_t) and pass 2 only (P from the population)
 */
public class LinearityDriver {
    static final int D = 20, K = 4, L = 6, BLOCK = 4096;
    static final long LAW_SEED = 20261122L;

    static double[] base;     // M x D
    static int bigM;
    static OneHiddenLayerNetwork teacher;
    static double sigma;

    public static void main(String[] args) {
        bigM = Integer.parseInt(args[0]);
        long n = Long.parseLong(args[1]);
        String[] seeds = args[2].split(",");
        double[] ts = Arrays.stream(args[3].split(",")).mapToDouble(Double::parseDouble).toArray();
        sigma = args.length > 4 ? Double.parseDouble(args[4]) : 0;
        long teacherSeed = args.length > 5 ? Long.parseLong(args[5]) : 1;
        boolean check = Arrays.asList(args).contains("check");
        boolean split = Arrays.asList(args).contains("split");
        boolean noiseCheck = Arrays.asList(args).contains("noisecheck");
        teacher = Teachers.randomNetwork(D, K, L, teacherSeed, false, 0, 0);
        base = new double[bigM * D];
        CounterRng rng = new CounterRng();
        for (int i = 0; i < bigM; i++) {
            rng.reset(LAW_SEED, 7, i);
            for (int c = 0; c < D; c++) base[i * D + c] = rng.nextGaussian();
        }
        double[] ac = teacher.outputWeights(), wc = teacher.weights();
        MomentsSolver.canonicalise(ac, wc, L, K, D);
        StringBuilder norms = new StringBuilder();
        for (int i = 0; i < K; i++) {
            double s = 0;
            for (int r = 0; r < L; r++) s += ac[r * K + i] * ac[r * K + i];
            norms.append(String.format(Locale.ROOT, " %.2f", Math.sqrt(s)));
        }
        System.out.printf(Locale.ROOT, "law: M=%d (2M=%d points), teacher seed %d, sigma %.3g, N=%d; canonical |A col|:%s%n",
                bigM, 2L * bigM, teacherSeed, sigma, n, norms);

        long t0 = System.nanoTime();
        Moments pop1 = passOne(true, 0, 0);
        System.out.printf(Locale.ROOT, "population pass 1: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Result popFit = solve(pop1, null, pop1, 0, true);
        System.out.printf(Locale.ROOT, "POP eW=%.3e eA=%.3e nullGap=%.3e pdMargin=%.3g eigenGap=%.3g singular=%s%n", popFit.rec.eW(), popFit.rec.eA(),
                popFit.nullGap, popFit.pdMargin, popFit.eigenGap, Arrays.toString(popFit.singular));

        if (noiseCheck) noiseCheck(pop1, 5);
        for (String sd : seeds) {
            long seed = Long.parseLong(sd);
            t0 = System.nanoTime();
            Moments smp1 = passOne(false, seed, n);
            double[] eRef = null;
            double tRef = 0;
            List<String> lines = new ArrayList<>();
            // smallest t first, so the limit direction is known when the others are printed
            double[] order = ts.clone();
            Arrays.sort(order);
            Map<Double, Result> res = new TreeMap<>();
            for (double t : order) {
                Moments mt = mix(pop1, smp1, t);
                res.put(t, solveSample(mt, pop1, t, seed, n, 1, 1));
            }
            eRef = res.get(order[0]).err;
            tRef = order[0];
            for (double t : order) {
                Result r = res.get(t);
                System.out.printf(Locale.ROOT, "RES seed=%d N=%d t=%.4g eW=%.5e eW/t=%.5f eWsqrtNeff=%.3f cosToSmallestT=%.4f unit1share=%.2f nullGap=%.4g eigenGap=%.3g pdMargin=%.3g%n",
                        seed, n, t, r.rec.eW(), r.rec.eW() / t, r.rec.eW() / t * Math.sqrt(n), cos(r.err, eRef), r.share1, r.nullGap, r.eigenGap, r.pdMargin);
            }
            if (split) {
                for (double t : order) {
                    Moments mt = mix(pop1, smp1, t);
                    Result p1 = solveSample(mt, pop1, t, seed, n, 1, 0);
                    Result p2 = solveSample(pop1, pop1, t, seed, n, 0, 1);
                    System.out.printf(Locale.ROOT, "SPLIT seed=%d t=%.4g pass1only eW/t=%.5f  pass2only eW/t=%.5f  cos(p1,p2)=%.3f%n",
                            seed, t, p1.rec.eW() / t, p2.rec.eW() / t, cos(p1.err, p2.err));
                }
            }
            if (check) {
                List<Block> blocks = new ArrayList<>();
                forEachBlock(false, seed, n, b -> blocks.add(b.compactCopy()));
                MomentsResult fr = MomentsTrainer.fit(new LocalPassRunner(1), new InMemoryData(D, L, blocks), null, MomentsOptions.defaults().withK(K));
                Recovery rr = Recovery.of(fr.a(), fr.w(), teacher.outputWeights(), teacher.weights(), L, K, D);
                System.out.printf(Locale.ROOT, "CHECK seed=%d MomentsTrainer.fit on the sample: eW=%.6e (t=1 above: %.6e)%n", seed, rr.eW(),
                        res.containsKey(1.0) ? res.get(1.0).rec.eW() : Double.NaN);
            }
            System.out.printf(Locale.ROOT, "seed %d done in %.1f s%n", seed, (System.nanoTime() - t0) / 1e9);
            System.out.flush();
        }
    }

    record Result(Recovery rec, double[] err, double share1, double nullGap, double eigenGap, double pdMargin, double[] singular) {}

    /** pop + t (smp - pop), field by field. */
    static Moments mix(Moments pop, Moments smp, double t) {
        return new Moments(D, L, smp.n(), lin(pop.meanX(), smp.meanX(), t), lin(pop.secondX(), smp.secondX(), t),
                lin(pop.crossYX(), smp.crossYX(), t), lin(pop.meanY(), smp.meanY(), t), lin(pop.secondY(), smp.secondY(), t));
    }

    static double[] lin(double[] p, double[] s, double t) {
        double[] o = new double[p.length];
        for (int i = 0; i < p.length; i++) o[i] = p[i] + t * (s[i] - p[i]);
        return o;
    }

    /**
     * The fit from pass-1 moments mt: projection from mt; pass 2 = G_pop + t2 (G_smp - G_pop) in that
     * projection (t2 = 0: population pass 2 only). t1 is only a label here (mt already holds it).
     */
    static Result solveSample(Moments mt, Moments pop1, double t, long seed, long n, double t1, double t2) {
        return solve(mt, t2 == 0 ? null : new long[] {seed, n}, pop1, t2 * t, false);
    }

    static Result solve(Moments mt, long[] sample, Moments pop1, double t2, boolean population) {
        double[] b = MomentsSolver.linearPart(mt);
        MomentsSolver.OutputBasis basis = MomentsSolver.outputBasis(b, L, D, K);
        DetectorProjection proj = new DetectorProjection(L, K, D, basis.p(), basis.bt(), null);
        double[] gPop = passTwo(proj, true, 0, 0);
        addNoiseTerm(gPop, basis.p(), pop1.secondX());
        double[] g = gPop;
        if (sample != null) {
            double[] gSmp = passTwo(proj, false, sample[0], sample[1]);
            g = lin(gPop, gSmp, t2);
        }
        DetectorMoment gm = new DetectorMoment(K, D, mt.n(), g);
        double[] sigmaR = MomentsSolver.weightingCovariance(mt.secondX(), D, null);
        MomentsSolver.NullSpace ns = MomentsSolver.nullSpace(MomentsSolver.linearMap(gm), K, sigmaR, D);
        MomentsSolver.Diagonalisation diag = MomentsSolver.whitenedDiagonalisation(ns.z(), K, MomentsOptions.defaults().seed());
        MomentsSolver.Network net = MomentsSolver.network(diag.at(), basis, mt.meanY(), L, D);
        Recovery rec = Recovery.of(net.a(), net.w(), teacher.outputWeights(), teacher.weights(), L, K, D);
        double[] ah = net.a().clone(), wh = net.w().clone(), at = teacher.outputWeights(), wt = teacher.weights();
        MomentsSolver.canonicalise(ah, wh, L, K, D);
        MomentsSolver.canonicalise(at, wt, L, K, D);
        double[] err = new double[K * D];
        double tot = 0, u1 = 0;
        for (int i = 0; i < K; i++) for (int c = 0; c < D; c++) {
            double e = wh[rec.matching()[i] * D + c] - wt[i * D + c];
            err[i * D + c] = e;
            tot += e * e;
            if (i == 1) u1 += e * e;
        }
        return new Result(rec, err, u1 / tot, ns.nullGap(), diag.eigenGap(), diag.pdMargin(), basis.singularValues());
    }

    /**
     * The population's label-noise term of pass 2: with y = f + sigma g, E[Q_ab x_c x_e] gains
     * sigma^2 (P^T P)_ab E_S[x_c x_e] (the cross terms f g^T vanish: g is independent of x, mean 0).
     */
    static void addNoiseTerm(double[] g, double[] p, double[] sigmaX) {
        if (sigma == 0) return;
        int kp = K * (K + 1) / 2;
        for (int bb = 0; bb < K; bb++) for (int a = 0; a <= bb; a++) {
            double ptp = 0;
            for (int r = 0; r < L; r++) ptp += p[r * K + a] * p[r * K + bb];
            for (int e = 0; e < D; e++) for (int c = 0; c <= e; c++) {
                g[DetectorMoment.pair(a, bb) + kp * DetectorMoment.pair(c, e)] += sigma * sigma * ptp * sigmaX[c * D + e];
            }
        }
    }

    /**
     * Checks the analytic noise term of pass 2: over `replicas` passes through all 2M points of S, each
     * with fresh label noise sigma * g, the sampled G minus the noise-free population G (both in the
     * population projection) is regressed on the analytic term sigma^2 (P^T P)_ab E_S[x_c x_e].
     */
    static void noiseCheck(Moments pop1, int replicas) {
        MomentsSolver.OutputBasis basis = MomentsSolver.outputBasis(MomentsSolver.linearPart(pop1), L, D, K);
        DetectorProjection proj = new DetectorProjection(L, K, D, basis.p(), basis.bt(), null);
        double[] free = passTwo(proj, true, 0, 0);
        double[] term = new double[free.length];
        addNoiseTerm(term, basis.p(), pop1.secondX());
        DetectorMomentAggregator agg = new DetectorMomentAggregator(Shared.local(proj));
        for (int rep = 0; rep < replicas; rep++) {
            final int rr = rep;
            forEachBlock(true, 0, 0, b -> {
                double[] y = b.y();
                CounterRng rng = new CounterRng();
                for (int r = 0; r < b.rows(); r++) {
                    rng.reset(777 + rr, 5, b.firstRow() + r);
                    for (int a = 0; a < L; a++) y[r * L + a] += sigma * rng.nextGaussian();
                }
                agg.add(b);
            });
        }
        double[] noisy = agg.result().g();
        double st = 0, tt = 0, offRes = 0, maxTerm = 0;
        int nOff = 0;
        int kp = K * (K + 1) / 2;
        for (int i = 0; i < free.length; i++) {
            double diff = noisy[i] - free[i];
            st += diff * term[i];
            tt += term[i] * term[i];
            maxTerm = Math.max(maxTerm, Math.abs(term[i]));
            int ab = i % kp;
            boolean diagAb = false;
            for (int a = 0; a < K; a++) if (DetectorMoment.pair(a, a) == ab) diagAb = true;
            if (!diagAb) { offRes += diff * diff; nOff++; }
        }
        double coef = st / tt, res = 0;
        for (int i = 0; i < free.length; i++) { double e = noisy[i] - free[i] - coef * term[i]; res += e * e; }
        System.out.printf(Locale.ROOT, "NOISECHECK rows %d: sampled (G_noisy - G_free) = %.5f x analytic term; rms residual %.3g, rms on ab off-diagonal %.3g, max |term| %.3g%n",
                (long) replicas * 2 * bigM, coef, Math.sqrt(res / free.length), Math.sqrt(offRes / nOff), maxTerm);
    }

    static Moments passOne(boolean population, long seed, long n) {
        MomentAggregator agg = new MomentAggregator(D, L);
        forEachBlock(population, seed, n, agg::add);
        return agg.result();
    }

    static double[] passTwo(DetectorProjection proj, boolean population, long seed, long n) {
        DetectorMomentAggregator agg = new DetectorMomentAggregator(Shared.local(proj));
        forEachBlock(population, seed, n, agg::add);
        return agg.result().g();
    }

    /**
     * Population: all 2M points, each once, in pairs (s_i, -s_i), noise-free. Sample: n rows drawn
     * uniformly from the 2M points, plus sigma * N(0, 1) label noise per output.
     */
    static void forEachBlock(boolean population, long seed, long n, java.util.function.Consumer<Block> sink) {
        Block buf = new Block(D, L, BLOCK);
        double[] scratch = new double[teacher.scratchSize(BLOCK)];
        CounterRng rng = new CounterRng();
        long total = population ? 2L * bigM : n;
        for (long first = 0; first < total; first += BLOCK) {
            int rows = (int) Math.min(BLOCK, total - first);
            buf.reset(rows, first);
            double[] x = buf.x();
            for (int r = 0; r < rows; r++) {
                long j;
                if (population) {
                    long row = first + r;
                    j = (row >> 1) + ((row & 1) == 0 ? 0 : bigM);
                } else {
                    rng.reset(seed, 3, first + r);
                    j = (long) (rng.nextDouble() * 2L * bigM);
                }
                int i = (int) (j % bigM);
                double sgn = j < bigM ? 1 : -1;
                for (int c = 0; c < D; c++) x[r * D + c] = sgn * base[i * D + c];
            }
            teacher.label(buf, scratch);
            if (!population && sigma > 0) {
                double[] y = buf.y();
                for (int r = 0; r < rows; r++) {
                    rng.reset(seed ^ 0x5EEDL, 4, first + r);
                    for (int a = 0; a < L; a++) y[r * L + a] += sigma * rng.nextGaussian();
                }
            }
            sink.accept(buf);
        }
    }

    static double cos(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
        return ab / Math.sqrt(aa * bb);
    }
}

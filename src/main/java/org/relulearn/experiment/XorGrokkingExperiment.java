package org.relulearn.experiment;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.relulearn.algo.twolayer.FixedOutputGradientDescent;
import org.relulearn.data.LabelFlips;
import org.relulearn.data.SyntheticSource;
import org.relulearn.data.XorClusters;
import org.relulearn.engine.PassRunner;
import org.relulearn.engine.SyntheticData;
import org.relulearn.report.ExperimentReport;
import org.relulearn.report.Figure;
import org.relulearn.report.ResultTable;

/**
 * Xu, Wang, Frei, Vardi and Hu (ICLR 2024, arXiv 2310.02541): a two-layer ReLU network with a
 * fixed output layer, trained by full-batch gradient descent on the logistic loss over XOR-cluster
 * data x = z + xi (z uniform on {+-mu1, +-mu2}, xi ~ N(0, I_p), p >> n) with a share of flipped
 * labels. After the first step it fits every training label, flipped ones included, but is near
 * chance on clean test data (a linear classifier cannot solve XOR); later it "groks": test accuracy
 * becomes near optimal while it still fits the noisy labels. The clean class of a row is read from
 * the cluster axes (|x_1| vs |x_2|), exact with overwhelming probability at ||mu|| = 30.
 * --scale multiplies the test set (the p >> n regime fixes n and p).
 */
public final class XorGrokkingExperiment implements Experiment {
    public static final String NAME = "xor-grokking";

    /** Reference simulation (a numpy run of the paper's setting): clean test accuracy at steps 1, 10, 100, 200, 500. */
    static final double[] REF_STEPS = {1, 10, 100, 200, 500};
    static final double[] REF_TEST = {0.514, 0.632, 0.840, 0.881, 0.927};

    public record Settings(int n, int p, int m, double flip, double muNorm, double initStd, double eta, int steps, long testN,
                           long seed) {}

    private final Settings s;

    public XorGrokkingExperiment(Settings s) { this.s = s; }

    public static XorGrokkingExperiment forScale(double scale) {
        return new XorGrokkingExperiment(new Settings(200, 20_000, 200, 0.15, 30, 1e-6, 0.5, 500,
                Math.round(2000 * Math.max(1, scale)), 1));
    }

    @Override public String name() { return NAME; }

    @Override public String summary() {
        return "benign overfitting then grokking: train, flipped-label and clean test accuracy against the GD step on XOR clusters";
    }

    @Override
    public ExperimentReport run(PassRunner runner) {
        long t0 = System.nanoTime();
        ExperimentReport rep = new ExperimentReport(NAME, "Grokking on XOR clusters: harmful, then benign overfitting");
        rep.setting("n (train)", s.n()).setting("p", s.p()).setting("width m", s.m()).setting("flipped share", s.flip())
                .setting("||mu||", s.muNorm()).setting("init std", s.initStd()).setting("GD step", s.eta() + " on the mean logistic loss")
                .setting("steps", s.steps()).setting("test rows", s.testN()).setting("seed", s.seed())
                .setting("output layer", "fixed, a_j = +-1/sqrt(m)");
        double[] mu1 = new double[s.p()], mu2 = new double[s.p()];
        mu1[0] = s.muNorm();
        mu2[1] = s.muNorm();
        XorClusters law = new XorClusters(mu1, mu2, 1.0);
        int rowsPerBlock = (int) Math.max(8, Math.min(4096, (8L << 20) / (8L * s.p())));
        SyntheticData train = new SyntheticData(new SyntheticSource(law, null, new LabelFlips(s.flip()), s.n(), s.seed(), 0, rowsPerBlock));
        SyntheticData test = new SyntheticData(new SyntheticSource(law, null, null, s.testN(), s.seed(), 1, rowsPerBlock));
        SortedSet<Integer> record = new TreeSet<>();
        for (int t : new int[] {0, 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 2000, 5000}) {
            if (t <= s.steps()) record.add(t);
        }
        record.add(s.steps());
        List<FixedOutputGradientDescent.Point> pts = FixedOutputGradientDescent.run(runner, train, test,
                FixedOutputGradientDescent.initial(s.m(), s.p(), s.initStd(), s.seed()), s.eta(), s.steps(), record, "xor-grokking");

        ResultTable table = new ResultTable("trajectory", "step", "loss", "train_accuracy", "flipped_fit", "test_accuracy");
        double[] x = new double[pts.size()], tr = new double[x.length], fl = new double[x.length], te = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            FixedOutputGradientDescent.Point p = pts.get(i);
            table.add(p.step(), p.loss(), p.trainAccuracy(), p.flippedFit(), p.testAccuracy());
            x[i] = p.step();
            tr[i] = p.trainAccuracy();
            fl[i] = p.flippedFit();
            te[i] = p.testAccuracy();
        }
        Figure fig = new Figure("accuracy-vs-step", "XOR clusters: accuracy against the GD step", "step", "accuracy").logX()
                .measured("train (noisy labels)", x, tr).measured("flipped labels fitted", x, fl).measured("clean test", x, te)
                .theory("clean test, reference simulation", REF_STEPS, REF_TEST);
        fig.caption("Step 0 (the initialisation) is off the log axis. Dashed: the numpy reference simulation (n = 200,"
                + " p = 20000, m = 200, flipped share 0.15, ||mu|| = 30, init 1e-6, step 0.5).");
        FixedOutputGradientDescent.Point first = pts.stream().filter(p -> p.step() == 1).findFirst().orElseThrow();
        FixedOutputGradientDescent.Point last = pts.get(pts.size() - 1);
        rep.checkAtLeast("train accuracy after step 1", 0.99, first.trainAccuracy(), "fits every label after one step");
        rep.checkAtLeast("flipped labels fitted after step 1", 0.95, first.flippedFit(), "including the flipped ones");
        rep.checkAtMost("clean test accuracy after step 1", 0.65, first.testAccuracy(), "near chance: reference 0.514");
        rep.checkAtLeast("clean test accuracy at the last step", 0.85, last.testAccuracy(),
                "grokking: reference 0.927 at step 500");
        rep.checkAtLeast("train accuracy at the last step", 0.98, last.trainAccuracy(), "still fits the noisy labels");
        rep.table(table).figure(fig);
        rep.note("The reference numbers are our own numpy reproduction with these parameters, not the paper's; the paper"
                + " states the phenomenon (abstract), which is what the checks test.");
        return rep.seconds((System.nanoTime() - t0) / 1e9);
    }
}

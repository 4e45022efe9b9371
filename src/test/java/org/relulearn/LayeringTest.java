package org.relulearn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The package layering, checked on the compiled main classes (bytecode dependencies: imports,
 * fully-qualified names and signatures alike; Javadoc references do not count).
 *
 * <pre>
 *   error                              leaf: the user-input exception, imports nothing of ours
 *   linalg                             dense algebra over netlib BLAS/LAPACK
 *   data       -> linalg               blocks, distributions, teachers, adversaries (no Spark)
 *   engine     -> data                 Aggregator, PassRunner, local runner, state (no Spark)
 *   algo.*     -> engine, data, linalg the algorithms; algo.loss and algo.tensor are shared math
 *   ---------------------------------- kernel above: no Spark, no Scala, none of the packages below
 *   spark      -> kernel, error        the Spark engine: runners, inputs, sessions
 *   report     -> error                run output, tables, figures (may write through Spark/Hadoop)
 *   experiment -> kernel, report       no cli, no ml
 *   ml         -> kernel, spark        Spark ML estimators and models
 *   cli        -> everything
 * </pre>
 */
class LayeringTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.relulearn");

    private static final String[] KERNEL = {
            "org.relulearn.algo..", "org.relulearn.linalg..", "org.relulearn.data..", "org.relulearn.engine.."};

    /** Algorithms; each may use the shared algo packages below, none another algorithm. */
    private static final List<String> ALGORITHMS = List.of(
            "baseline", "convex", "eval", "gate", "hermite", "moments", "tensorgd", "twolayer");

    @Test
    void theRulesSeeTheWholeProductAndCatchAViolation() {
        // Rules over an empty or partial import would pass vacuously: the import holds the product's classes...
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.size() > 200, "classes imported: " + MAIN.size());
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.contain("org.relulearn.algo.convex.GatedReluProgram"));
        // ...and a rule the code breaks (the CLI uses the Spark layer) is reported.
        org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class, () -> noClasses().that().resideInAPackage("org.relulearn.cli..")
                .should().dependOnClassesThat().resideInAPackage("org.relulearn.spark..").check(MAIN));
    }

    @Test
    void kernelsImportNoSparkAndNoOuterLayer() {
        noClasses().that().resideInAnyPackage(KERNEL)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.apache.spark..", "scala..",
                        "org.relulearn.spark..", "org.relulearn.ml..", "org.relulearn.cli..",
                        "org.relulearn.report..", "org.relulearn.experiment..")
                .because("the kernels run unchanged on the local engine and inside Spark tasks")
                .check(MAIN);
    }

    @Test
    void lowerKernelLayersImportNoHigherOne() {
        noClasses().that().resideInAPackage("org.relulearn.linalg..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.relulearn.data..", "org.relulearn.engine..", "org.relulearn.algo..")
                .check(MAIN);
        noClasses().that().resideInAnyPackage("org.relulearn.data..", "org.relulearn.engine..")
                .should().dependOnClassesThat().resideInAPackage("org.relulearn.algo..")
                .check(MAIN);
        noClasses().that().resideInAPackage("org.relulearn.data..")
                .should().dependOnClassesThat().resideInAPackage("org.relulearn.engine..")
                .check(MAIN);
    }

    @Test
    void sparkImportsNoCliReportExperimentOrMl() {
        noClasses().that().resideInAPackage("org.relulearn.spark..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.relulearn.cli..", "org.relulearn.report..",
                        "org.relulearn.experiment..", "org.relulearn.ml..")
                .check(MAIN);
    }

    @Test
    void reportAndExperimentImportNoCliOrMl() {
        noClasses().that().resideInAnyPackage("org.relulearn.report..", "org.relulearn.experiment..")
                .should().dependOnClassesThat().resideInAnyPackage("org.relulearn.cli..", "org.relulearn.ml..")
                .check(MAIN);
    }

    @Test
    void errorIsALeaf() {
        noClasses().that().resideInAPackage("org.relulearn.error..")
                .should().dependOnClassesThat().resideOutsideOfPackages("org.relulearn.error..", "java..")
                .check(MAIN);
    }

    @Test
    void algorithmsShareMathOnlyThroughSharedPackages() {
        for (String a : ALGORITHMS) {
            String[] others = ALGORITHMS.stream().filter(o -> !o.equals(a))
                    .map(o -> "org.relulearn.algo." + o + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage("org.relulearn.algo." + a + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(others)
                    .because("shared math lives in algo.loss or algo.tensor, not in another algorithm ("
                            + Arrays.toString(others) + ")")
                    .check(MAIN);
        }
    }

    @Test
    void topLevelPackagesAreFreeOfCycles() {
        slices().matching("org.relulearn.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void algoPackagesAreFreeOfCycles() {
        slices().matching("org.relulearn.algo.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}

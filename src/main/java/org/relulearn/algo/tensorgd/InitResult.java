package org.relulearn.algo.tensorgd;

/**
 * What Phase I produced and its diagnostics (docs/tensor-gd.md, Design and Diagnostics).
 *
 * @param w0                W^(0), row-major K x d
 * @param v                 the output weights used from here on (known, or recovered signs)
 * @param recoveredSigns    sign(rhat_j) of the components as assigned to units (NaN for a random init)
 * @param eigenvalues       the K eigenvalues of P2hat of largest |value|, signed
 * @param nextEigenvalue    the (K+1)-th
 * @param gapRatio          |lambda_K| / |lambda_{K+1}|
 * @param residual          relative residual of the decomposition
 * @param imaginaryRatio    max |Im| / max |lambda| in the kept Jennrich trial
 * @param maxAbsCosine      max |cos| between two recovered components
 * @param zhat              the Q1 coefficients, per unit
 * @param rhat              the Q2 coefficients, per unit
 * @param rows              rows used by S2, S3, S4a, S4b
 * @param random            true for the random baseline start (no Phase I)
 * @param unitCount         how K was chosen from the spectrum (null when K was given)
 */
public record InitResult(double[] w0, double[] v, double[] recoveredSigns, double[] eigenvalues, double nextEigenvalue,
                         double gapRatio, double residual, double imaginaryRatio, double maxAbsCosine, double[] zhat, double[] rhat,
                         long[] rows, boolean random, HiddenUnitCount unitCount) implements java.io.Serializable {}

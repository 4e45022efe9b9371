package org.relulearn.algo.baseline;

/**
 * How the SGD baseline's mini-batches are perturbed before each gradient: not at all, by FGSM, or by
 * PGD, in an l_inf ball on the features (Goodfellow et al.; Madry et al.). With an attack, the step
 * minimises the adversarial loss sum_r l(f(x_r + delta_r), y_r) with delta_r the attack's
 * perturbation of row r under the current network (the inner max approximated by the attack).
 */
public enum AdversarialTraining {
    NONE, FGSM, PGD;

    /** @throws IllegalArgumentException naming the allowed values */
    public static AdversarialTraining parse(String s) {
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "none", "off" -> NONE;
            case "fgsm" -> FGSM;
            case "pgd" -> PGD;
            default -> throw new IllegalArgumentException("unknown adversarial training '" + s + "': use none, fgsm or pgd");
        };
    }

    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }
}

package org.relulearn.data;

/**
 * What an online adversary may see besides the sample: the iteration t and the learner's current
 * iterate (null when labels are generated offline, e.g. by {@code relulearn generate}).
 */
public record AdversaryContext(long iteration, double[] iterate) implements java.io.Serializable {
    public static final AdversaryContext OFFLINE = new AdversaryContext(0, null);
}

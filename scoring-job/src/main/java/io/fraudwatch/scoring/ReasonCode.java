package io.fraudwatch.scoring;

import java.io.Serializable;

/** One feature's contribution to a score: its weight times its standardised value. */
public record ReasonCode(String feature, double contribution) implements Serializable {}

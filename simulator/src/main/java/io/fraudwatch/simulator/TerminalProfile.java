package io.fraudwatch.simulator;

/** A simulated terminal (merchant point of sale) at a location on the map. */
public record TerminalProfile(int terminalId, double x, double y) {}

package io.fraudwatch.simulator;

import io.fraudwatch.simulator.SeededRandom.Purpose;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** The customers and terminals of a simulation, and which terminals each customer can use. */
public final class Profiles {

  private static final double MAX_MEAN_AMOUNT = 100;
  private static final double MIN_MEAN_AMOUNT = 5;
  private static final double MAX_MEAN_TRANSACTIONS_PER_DAY = 4;

  private final List<CustomerProfile> customers;
  private final List<TerminalProfile> terminals;
  private final int[][] availableTerminals;
  private final int customersWithTerminals;
  private final int reachableTerminals;

  private Profiles(
      List<CustomerProfile> customers,
      List<TerminalProfile> terminals,
      int[][] availableTerminals) {
    this.customers = customers;
    this.terminals = terminals;
    this.availableTerminals = availableTerminals;
    BitSet reachable = new BitSet(terminals.size());
    int withTerminals = 0;
    for (int[] available : availableTerminals) {
      if (available.length > 0) {
        withTerminals++;
      }
      for (int terminal : available) {
        reachable.set(terminal);
      }
    }
    this.customersWithTerminals = withTerminals;
    this.reachableTerminals = reachable.cardinality();
  }

  /**
   * Draws every profile from its own keyed stream, so a customer's or terminal's profile does not
   * depend on how many others there are.
   */
  static Profiles generate(SimulationParameters parameters) {
    long seed = parameters.seed();
    CustomerProfile[] customers = new CustomerProfile[parameters.customers()];
    for (int id = 0; id < customers.length; id++) {
      SeededRandom random = SeededRandom.forKey(seed, Purpose.CUSTOMER_PROFILE, id, 0);
      double x = random.nextUniform(0, SimulationParameters.MAP_SIZE);
      double y = random.nextUniform(0, SimulationParameters.MAP_SIZE);
      double meanAmount = random.nextUniform(MIN_MEAN_AMOUNT, MAX_MEAN_AMOUNT);
      double meanTransactions = random.nextUniform(0, MAX_MEAN_TRANSACTIONS_PER_DAY);
      customers[id] = new CustomerProfile(id, x, y, meanAmount, meanAmount / 2, meanTransactions);
    }
    TerminalProfile[] terminals = new TerminalProfile[parameters.terminals()];
    for (int id = 0; id < terminals.length; id++) {
      SeededRandom random = SeededRandom.forKey(seed, Purpose.TERMINAL_PROFILE, id, 0);
      double x = random.nextUniform(0, SimulationParameters.MAP_SIZE);
      double y = random.nextUniform(0, SimulationParameters.MAP_SIZE);
      terminals[id] = new TerminalProfile(id, x, y);
    }
    TerminalGrid grid = new TerminalGrid(terminals, parameters.radius());
    int[][] available = new int[customers.length][];
    for (CustomerProfile customer : customers) {
      available[customer.customerId()] = grid.within(customer.x(), customer.y());
    }
    return new Profiles(List.of(customers), List.of(terminals), available);
  }

  /** Indexed by customer id. */
  public List<CustomerProfile> customers() {
    return customers;
  }

  /** Indexed by terminal id. */
  public List<TerminalProfile> terminals() {
    return terminals;
  }

  /** Ids (ascending) of the terminals closer than the radius to the customer's home. */
  public int[] availableTerminals(int customerId) {
    return availableTerminalsView(customerId).clone();
  }

  /** Customers with at least one terminal in reach: the only ones that can ever transact. */
  public int customersWithTerminals() {
    return customersWithTerminals;
  }

  /** Terminals in reach of at least one customer: the only ones that can ever see a transaction. */
  public int reachableTerminals() {
    return reachableTerminals;
  }

  int[] availableTerminalsView(int customerId) {
    if (customerId < 0 || customerId >= availableTerminals.length) {
      throw new IllegalArgumentException(
          "no customer " + customerId + " (ids are 0.." + (availableTerminals.length - 1) + ")");
    }
    return availableTerminals[customerId];
  }

  /**
   * Terminals bucketed in square cells of side at least the radius, so a radius query looks at the
   * few cells around a point instead of every terminal (5,000 x 10,000 pairs would otherwise take a
   * noticeable time).
   */
  private static final class TerminalGrid {
    private static final int MAX_CELLS_PER_AXIS = 512;

    private final TerminalProfile[] terminals;
    private final double radius;
    private final double cellSize;
    private final int cellsPerAxis;
    private final int[] cellStart;
    private final int[] terminalIdsByCell;

    TerminalGrid(TerminalProfile[] terminals, double radius) {
      this.terminals = terminals;
      this.radius = radius;
      this.cellSize = Math.max(radius, SimulationParameters.MAP_SIZE / MAX_CELLS_PER_AXIS);
      this.cellsPerAxis = Math.max(1, (int) Math.ceil(SimulationParameters.MAP_SIZE / cellSize));
      int cellCount = cellsPerAxis * cellsPerAxis;
      // counting sort by cell; ids stay ascending within each cell
      cellStart = new int[cellCount + 1];
      for (TerminalProfile terminal : terminals) {
        cellStart[cellOf(terminal.x(), terminal.y()) + 1]++;
      }
      for (int cell = 0; cell < cellCount; cell++) {
        cellStart[cell + 1] += cellStart[cell];
      }
      terminalIdsByCell = new int[terminals.length];
      int[] fill = Arrays.copyOf(cellStart, cellCount);
      for (TerminalProfile terminal : terminals) {
        terminalIdsByCell[fill[cellOf(terminal.x(), terminal.y())]++] = terminal.terminalId();
      }
    }

    int[] within(double x, double y) {
      int minCellX = axisCell(x - radius);
      int maxCellX = axisCell(x + radius);
      int minCellY = axisCell(y - radius);
      int maxCellY = axisCell(y + radius);
      double radiusSquared = radius * radius;
      int[] found = new int[16];
      int count = 0;
      for (int cellY = minCellY; cellY <= maxCellY; cellY++) {
        for (int cellX = minCellX; cellX <= maxCellX; cellX++) {
          int cell = cellY * cellsPerAxis + cellX;
          for (int i = cellStart[cell]; i < cellStart[cell + 1]; i++) {
            TerminalProfile terminal = terminals[terminalIdsByCell[i]];
            double dx = terminal.x() - x;
            double dy = terminal.y() - y;
            if (dx * dx + dy * dy < radiusSquared) {
              if (count == found.length) {
                found = Arrays.copyOf(found, count * 2);
              }
              found[count++] = terminal.terminalId();
            }
          }
        }
      }
      int[] result = Arrays.copyOf(found, count);
      Arrays.sort(result);
      return result;
    }

    private int cellOf(double x, double y) {
      return axisCell(y) * cellsPerAxis + axisCell(x);
    }

    private int axisCell(double coordinate) {
      int cell = (int) Math.floor(coordinate / cellSize);
      return Math.min(cellsPerAxis - 1, Math.max(0, cell));
    }
  }
}

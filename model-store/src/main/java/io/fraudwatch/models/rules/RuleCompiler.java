package io.fraudwatch.models.rules;

import io.fraudwatch.features.FeatureSchema;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.BoundReference;
import org.apache.spark.sql.catalyst.expressions.CommonExpressionDef;
import org.apache.spark.sql.catalyst.expressions.CommonExpressionId;
import org.apache.spark.sql.catalyst.expressions.CommonExpressionRef;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.Literal;
import org.apache.spark.sql.catalyst.expressions.RuntimeReplaceable;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.expressions.Unevaluable;
import org.apache.spark.sql.catalyst.expressions.With;
import org.apache.spark.sql.catalyst.expressions.aggregate.AggregateExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Checks rule expressions with Spark SQL's own parser and analyzer against the enriched schema
 * ({@link EnrichedFields}), and compiles a rule set for the stream. A rule must parse, resolve
 * (known columns and functions), be boolean, and be a per-transaction, repeatable function of the
 * row: no aggregates, windows, generators or subqueries, nothing non-deterministic, no clock, no
 * reflection. Refusals carry Spark's message where Spark refused.
 *
 * <p>Runs on the driver (or in the CLI), where a {@link SparkSession} exists; what it compiles is
 * evaluated on the executors by {@link CompiledRules}.
 */
public final class RuleCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(RuleCompiler.class);

  /** Expressions that read the clock or the session: a rule must say the same on a replay. */
  private static final Set<String> SESSION_DEPENDENT =
      Set.of(
          "CurrentTimestamp",
          "CurrentDate",
          "CurrentTime",
          "Now",
          "LocalTimestamp",
          "CurrentTimeZone",
          "CurrentUser",
          "CurrentDatabase",
          "CurrentCatalog",
          "CallMethodViaReflection");

  /** The longest expression the rule store holds (rule_versions' check, V50). */
  static final int MAX_LENGTH = 4000;

  private final SparkSession spark;
  private final StructType struct;

  public RuleCompiler(SparkSession spark, FeatureSchema schema) {
    this.spark = spark;
    this.struct = struct(EnrichedFields.of(schema));
  }

  /** What was checked: the analysed expression and the row's attributes it reads. */
  record Checked(Expression expression, List<Attribute> input) {}

  /**
   * Checks one expression.
   *
   * @throws InvalidRuleException when the rule cannot run on the stream, saying why
   */
  public void check(String expression) {
    analyse(expression);
  }

  Checked analyse(String expression) {
    if (expression == null || expression.isBlank()) {
      throw new InvalidRuleException("the rule's expression is empty");
    }
    if (expression.length() > MAX_LENGTH) {
      throw new InvalidRuleException(
          "the rule's expression has "
              + expression.length()
              + " characters; the store holds at most "
              + MAX_LENGTH);
    }
    LogicalPlan plan;
    try {
      org.apache.spark.sql.classic.Dataset<Row> query =
          (org.apache.spark.sql.classic.Dataset<Row>)
              spark.createDataFrame(List.<Row>of(), struct).selectExpr(expression);
      plan = query.queryExecution().analyzed();
    } catch (Exception e) {
      // Spark's classified errors (analysis, parsing, a literal out of range) say what is wrong
      if (e instanceof org.apache.spark.SparkThrowable) {
        throw new InvalidRuleException(e.getMessage(), e);
      }
      throw e;
    }
    if (!(plan instanceof Project project) || project.projectList().size() != 1) {
      throw new InvalidRuleException(
          "the rule is not a function of one transaction: aggregate, window and generator"
              + " functions are not allowed");
    }
    Expression named = (Expression) project.projectList().head();
    Expression body = runnable(named instanceof Alias alias ? alias.child() : named);
    refuseWhatCannotRunPerEvent(body);
    DataType type = body.dataType();
    if (!type.equals(DataTypes.BooleanType)) {
      throw new InvalidRuleException(
          "the rule must be boolean, but '" + expression.strip() + "' is " + type.sql());
    }
    try {
      body = folded(body);
    } catch (RuntimeException e) {
      // a constant part that fails (e.g. a cast of 'x' to a number) would fail on every row
      throw new InvalidRuleException(e.getMessage(), e);
    }
    return new Checked(body, CollectionConverters.asJava(project.child().output()));
  }

  /**
   * {@code e} reading the row by position: each analysis names the columns anew, so the rules of a
   * set are bound one by one, to the same column order.
   */
  static Expression bound(Expression e, List<Attribute> input) {
    if (e instanceof AttributeReference a) {
      for (int i = 0; i < input.size(); i++) {
        if (input.get(i).exprId().equals(a.exprId())) {
          return new BoundReference(i, a.dataType(), a.nullable());
        }
      }
      throw new IllegalStateException("column " + a.name() + " is not in the enriched row");
    }
    return e.mapChildren(child -> bound(child, input));
  }

  /**
   * What the optimizer would run instead of the analysed expression, without the rest of the
   * optimizer (which would fold a query over no rows away): functions that are only a rewrite of
   * others ({@link RuntimeReplaceable}, e.g. {@code nvl}, {@code between}) replaced by what they
   * stand for, and common subexpressions ({@link With}) inlined.
   */
  static Expression runnable(Expression e) {
    if (e instanceof RuntimeReplaceable r) {
      return runnable(r.replacement());
    }
    if (e instanceof With with) {
      Map<CommonExpressionId, Expression> defs = new HashMap<>();
      for (CommonExpressionDef d : CollectionConverters.asJava(with.defs())) {
        defs.put(d.id(), d.child());
      }
      return runnable(inline(with.child(), defs));
    }
    return e.mapChildren(RuleCompiler::runnable);
  }

  /**
   * Constant folding, as the optimizer would (`amount > 100` would cast 100 at every row); only
   * after {@link #refuseWhatCannotRunPerEvent} has passed the expression, so nothing refused runs.
   */
  static Expression folded(Expression e) {
    if (e.foldable() && !(e instanceof Literal)) {
      return Literal.create(e.eval(null), e.dataType());
    }
    return e.mapChildren(RuleCompiler::folded);
  }

  private static Expression inline(Expression e, Map<CommonExpressionId, Expression> defs) {
    if (e instanceof CommonExpressionRef ref && defs.containsKey(ref.id())) {
      return defs.get(ref.id());
    }
    return e.mapChildren(child -> inline(child, defs));
  }

  private static void refuseWhatCannotRunPerEvent(Expression e) {
    String kind = e.getClass().getSimpleName();
    if (e instanceof AggregateExpression) {
      throw new InvalidRuleException(
          "the rule is not a function of one transaction: aggregate " + e.sql() + " not allowed");
    }
    if (e instanceof SubqueryExpression) {
      throw new InvalidRuleException("subqueries are not allowed in a rule: " + e.sql());
    }
    boolean nonDeterministicChild =
        CollectionConverters.asJava(e.children()).stream().anyMatch(c -> !c.deterministic());
    if (SESSION_DEPENDENT.contains(kind) || (!e.deterministic() && !nonDeterministicChild)) {
      throw new InvalidRuleException(
          "the rule must be deterministic (the same on a replay): "
              + e.prettyName()
              + " is not allowed");
    }
    if (e instanceof Unevaluable && !(e instanceof Attribute)) {
      throw new InvalidRuleException(
          "the rule cannot be evaluated per transaction: " + e.prettyName() + " is not allowed");
    }
    for (Expression child : CollectionConverters.asJava(e.children())) {
      refuseWhatCannotRunPerEvent(child);
    }
  }

  /**
   * The active rules as the stream runs them. A rule that no longer checks (the schema or Spark
   * changed since it was enabled) is left out with an error in the log: one bad rule must not stop
   * the stream or the other rules.
   */
  public CompiledRules compile(long ruleSetId, List<RuleVersion> rules) {
    List<RuleVersion> kept = new ArrayList<>();
    List<Expression> expressions = new ArrayList<>();
    for (RuleVersion rule : rules) {
      try {
        Checked checked = analyse(rule.expression());
        kept.add(rule);
        expressions.add(bound(checked.expression(), checked.input()));
      } catch (InvalidRuleException e) {
        LOG.error(
            "rule {} is left out of rule set {}: {}", rule.label(), ruleSetId, e.getMessage());
      }
    }
    return new CompiledRules(ruleSetId, kept, expressions, struct.size());
  }

  static StructType struct(List<EnrichedFields.Field> fields) {
    StructType struct = new StructType();
    for (EnrichedFields.Field f : fields) {
      DataType type =
          switch (f.type()) {
            case STRING -> DataTypes.StringType;
            case TIMESTAMP -> DataTypes.TimestampType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOLEAN -> DataTypes.BooleanType;
            case STRING_ARRAY -> DataTypes.createArrayType(DataTypes.StringType, false);
          };
      struct = struct.add(f.name(), type, false);
    }
    return struct;
  }
}

package dev.engage.rules.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.engage.avro.CustomerProfile;
import dev.engage.avro.Touchpoint;
import dev.engage.rules.FieldSuggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compiles the CEL conditions marketers write, type-checked against the Avro schemas: {@code event}
 * is a {@link Touchpoint}, {@code profile} a {@link CustomerProfile} and {@code now} the evaluation
 * time. A misspelt field is a compile-time problem with its position and the nearest field name,
 * never a runtime surprise.
 */
public final class ConditionCompiler {
  /** Which variables a condition may use. */
  public enum Scope {
    /** Trigger conditions: event, profile and now. */
    EVENT,
    /** Audiences and segments: profile and now. */
    PROFILE
  }

  private static final Pattern UNDEFINED_FIELD = Pattern.compile("undefined field '([^']+)'");

  private final AvroCelTypes types =
      new AvroCelTypes(Touchpoint.getClassSchema(), CustomerProfile.getClassSchema());
  private final CelCompiler eventCompiler = compiler(Scope.EVENT);
  private final CelCompiler profileCompiler = compiler(Scope.PROFILE);
  private final CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  /** A condition: an expression that is true or false. */
  public Condition compile(String expression, Scope scope) {
    CelAbstractSyntaxTree ast = check(expression, scope, SimpleType.BOOL, "true or false");
    return new Condition(expression, ast.getExpr(), program(ast));
  }

  /** A value expression of the given type (a number for thresholds, a timestamp for deadlines). */
  public Expression compileValue(
      String expression, Scope scope, CelType expected, String described) {
    return new Expression(expression, program(check(expression, scope, expected, described)));
  }

  private CelAbstractSyntaxTree check(
      String expression, Scope scope, CelType expected, String described) {
    if (expression == null || expression.isBlank()) {
      throw new InvalidConditionException(
          List.of(new ConditionProblem(1, 1, "the expression is empty")));
    }
    CelCompiler compiler = scope == Scope.EVENT ? eventCompiler : profileCompiler;
    CelAbstractSyntaxTree ast;
    try {
      ast = compiler.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new InvalidConditionException(problems(e));
    }
    CelType result = ast.getResultType();
    boolean numeric =
        expected.equals(SimpleType.DOUBLE)
            && (result.equals(SimpleType.INT) || result.equals(SimpleType.UINT));
    if (!result.equals(expected) && !result.equals(SimpleType.DYN) && !numeric) {
      throw new InvalidConditionException(
          List.of(
              new ConditionProblem(
                  1,
                  1,
                  "the expression must give " + described + ", this one gives " + result.name())));
    }
    return ast;
  }

  private CelRuntime.Program program(CelAbstractSyntaxTree ast) {
    try {
      return runtime.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new InvalidConditionException(List.of(new ConditionProblem(1, 1, e.getMessage())));
    }
  }

  private CelCompiler compiler(Scope scope) {
    var builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setTypeProvider(types)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("profile", types.struct(CustomerProfile.getClassSchema()))
            .addVar("now", SimpleType.TIMESTAMP);
    if (scope == Scope.EVENT) {
      builder.addVar("event", types.struct(Touchpoint.getClassSchema()));
    }
    return builder.build();
  }

  private List<ConditionProblem> problems(CelValidationException e) {
    List<ConditionProblem> problems = new ArrayList<>();
    for (CelIssue issue : e.getErrors()) {
      String message = issue.getMessage();
      Matcher undefined = UNDEFINED_FIELD.matcher(message);
      if (undefined.find()) {
        String suggestion = FieldSuggestions.nearest(undefined.group(1), types.fieldNames());
        if (suggestion != null) {
          message += " (did you mean '" + suggestion + "'?)";
        }
      }
      problems.add(
          new ConditionProblem(
              Math.max(1, issue.getSourceLocation().getLine()),
              issue.getSourceLocation().getColumn() + 1,
              message));
    }
    return problems;
  }
}

using System.Globalization;
using System.Text.RegularExpressions;
using NCalc;
using NCalc.Exceptions;
using NCalc.Factories;
using NCalc.Handlers;

namespace Parley.Tools.Calculator;

/// <summary>
/// Evaluates arithmetic safely with NCalc: numbers, <c>+ - * / %</c>, powers, parentheses, percentages ("17% of 2,340")
/// and the functions <c>sqrt</c>, <c>abs</c> and <c>round</c>. The expression is parsed first and every node checked, so
/// anything else — names, strings, dates, comparisons, logic, other functions — is refused before evaluation.
/// Numbers are decimal, so 0.1 + 0.2 is 0.3.
/// </summary>
public static partial class ArithmeticCalculator
{
    /// <summary>The longest expression accepted, in characters.</summary>
    public const int MaxLength = 500;

    private static readonly ExpressionConfiguration Configuration =
        ExpressionConfiguration.FromOptions(ExpressionOptions.DecimalAsDefault | ExpressionOptions.OverflowProtection | ExpressionOptions.NoCache | ExpressionOptions.IgnoreCaseAtBuiltInFunctions);

    private static readonly HashSet<string> AllowedFunctions = new(StringComparer.OrdinalIgnoreCase) { "Sqrt", "Abs", "Round" };

    /// <summary>Evaluates <paramref name="expression"/>.</summary>
    /// <returns>The value, rounded to 10 decimal places.</returns>
    /// <exception cref="ToolException">The expression is not arithmetic, is malformed, divides by zero or overflows.</exception>
    public static decimal Evaluate(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        if (expression.Length > MaxLength)
        {
            throw new ToolException($"The expression is too long (more than {MaxLength} characters).");
        }

        var text = Normalize(expression);
        if (text.Length == 0)
        {
            throw new ToolException("There is no expression to calculate.");
        }

        LogicalExpression parsed;
        try
        {
            parsed = LogicalExpressionFactory.Create(text, Configuration.Parsing, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is NCalcException or FormatException or InvalidOperationException or ArgumentException or OverflowException)
        {
            throw new ToolException($"'{expression.Trim()}' is not an arithmetic expression I can read.", e);
        }

        Check(parsed, expression);
        try
        {
            var evaluation = new Expression(parsed, Configuration, new ExpressionContext(), CultureInfo.InvariantCulture, new EvaluationVisitorFactory());
            evaluation.EvaluateBinary += RefuseDivisionByZero;
            var value = evaluation.Evaluate();
            if (value is double d && (double.IsNaN(d) || double.IsInfinity(d)))
            {
                throw new ToolException($"'{expression.Trim()}' has no finite result.");
            }

            return Math.Round(Convert.ToDecimal(value, CultureInfo.InvariantCulture), 10, MidpointRounding.AwayFromZero);
        }
        catch (DivideByZeroException e)
        {
            throw new ToolException("The expression divides by zero.", e);
        }
        catch (OverflowException e)
        {
            throw new ToolException("The result is too large to calculate.", e);
        }
        catch (Exception e) when (e is NCalcException or InvalidCastException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ToolException($"'{expression.Trim()}' cannot be calculated: {e.Message}", e);
        }
    }

    // Integers divide as doubles in NCalc, so 1/0 would surface as an overflow or NaN: checked here by the divisor instead.
    private static void RefuseDivisionByZero(BinaryEventArgs args)
    {
        if (args.BinaryExpression.Type is BinaryExpressionType.Div or BinaryExpressionType.Modulo
            && Convert.ToDecimal(args.RightValue(), CultureInfo.InvariantCulture) == 0)
        {
            throw new DivideByZeroException();
        }
    }

    /// <summary>Formats a result the way people write numbers: invariant culture, no trailing zeros.</summary>
    public static string Format(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    /// <summary>Rewrites words and symbols people use into NCalc's syntax ("17% of 2,340" → "(17/100)*(2340)").</summary>
    internal static string Normalize(string expression)
    {
        var text = expression.Trim().ToLowerInvariant();
        text = LeadingWords().Replace(text, "");
        text = text.TrimEnd('?', '.', '!', ' ', '=');
        text = ThousandsSeparator().Replace(text, "");
        text = text.Replace('×', '*').Replace('÷', '/').Replace('−', '-').Replace("^", "**", StringComparison.Ordinal);
        text = Words().Replace(text, m => m.Value switch
        {
            "plus" => "+",
            "minus" => "-",
            "times" or "multiplied by" => "*",
            "divided by" or "over" => "/",
            "to the power of" => "**",
            "squared" => "**2",
            _ => "*",
        });
        text = PercentOf().Replace(text, "($1/100)*");
        text = Percent().Replace(text, "($1/100)");
        return text.Trim();
    }

    private static void Check(LogicalExpression node, string original)
    {
        switch (node)
        {
            case ValueExpression { Type: NCalc.ValueType.Integer or NCalc.ValueType.Float }:
                return;
            case UnaryExpression { Type: UnaryExpressionType.Negate or UnaryExpressionType.Positive } unary:
                Check(unary.Expression, original);
                return;
            case BinaryExpression
            {
                Type: BinaryExpressionType.Plus or BinaryExpressionType.Minus or BinaryExpressionType.Times or BinaryExpressionType.Div
                    or BinaryExpressionType.Modulo or BinaryExpressionType.Exponentiation,
            } binary:
                Check(binary.LeftExpression, original);
                Check(binary.RightExpression, original);
                return;
            case Function function when AllowedFunctions.Contains(function.Identifier.Name):
                for (var i = 0; i < function.Parameters.Count; i++)
                {
                    Check(function.Parameters[i], original);
                }

                return;
            case Function function:
                throw new ToolException($"'{original.Trim()}' uses the function '{function.Identifier.Name}': only arithmetic (+ - * / % ^, sqrt, abs, round) is calculated.");
            case Identifier identifier:
                throw new ToolException($"'{original.Trim()}' contains '{identifier.Name}', which is not a number: only arithmetic is calculated.");
            default:
                throw new ToolException($"'{original.Trim()}' is not plain arithmetic: only numbers, + - * / % ^, parentheses, sqrt, abs and round are calculated.");
        }
    }

    [GeneratedRegex(@"^(?:(?:what|how much)\s+(?:is|are|'s)\s+|calculate\s+|compute\s+|what's\s+)", RegexOptions.CultureInvariant)]
    private static partial Regex LeadingWords();

    [GeneratedRegex(@"(?<=\d),(?=\d{3}(?!\d))", RegexOptions.CultureInvariant)]
    private static partial Regex ThousandsSeparator();

    [GeneratedRegex(@"\b(?:plus|minus|times|multiplied by|divided by|over|to the power of|squared)\b|(?<=[\d)\s])x(?=[\s\d(])", RegexOptions.CultureInvariant)]
    private static partial Regex Words();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*%\s*of\b", RegexOptions.CultureInvariant)]
    private static partial Regex PercentOf();

    [GeneratedRegex(@"(\d+(?:\.\d+)?)\s*%(?!\s*[\d(])", RegexOptions.CultureInvariant)]
    private static partial Regex Percent();
}

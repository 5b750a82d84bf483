using Parley.Tools;
using Parley.Tools.Calculator;

namespace Parley.Tools.Tests.Calculator;

public sealed class ArithmeticCalculatorTests
{
    [Theory]
    [InlineData("what is 17% of 2,340?", "397.8")]
    [InlineData("17 % of 2340", "397.8")]
    [InlineData("2 + 3 * 4", "14")]
    [InlineData("(2 + 3) * 4", "20")]
    [InlineData("0.1 + 0.2", "0.3")]
    [InlineData("10 / 4", "2.5")]
    [InlineData("1 / 3", "0.3333333333")]
    [InlineData("10 % 3", "1")]
    [InlineData("2^10", "1024")]
    [InlineData("-5 + 2", "-3")]
    [InlineData("12 x 3", "36")]
    [InlineData("7 times 6", "42")]
    [InlineData("100 divided by 8", "12.5")]
    [InlineData("sqrt(16) + abs(-2)", "6")]
    [InlineData("1,234,567 + 1", "1234568")]
    [InlineData("50%", "0.5")]
    [InlineData("calculate 3 squared", "9")]
    public void Evaluate_Arithmetic_ReturnsTheValue(string expression, string expected) =>
        Assert.Equal(expected, ArithmeticCalculator.Format(ArithmeticCalculator.Evaluate(expression)));

    [Theory]
    [InlineData("Sin(1)", "function")]
    [InlineData("ifs(1 == 1, 2, 3)", "function")]
    [InlineData("x + 1", "not a number")]
    [InlineData("[File] + 1", "not a number")]
    [InlineData("'abc' + 'd'", "not plain arithmetic")]
    [InlineData("1 == 1", "not plain arithmetic")]
    [InlineData("true && false", "not plain arithmetic")]
    [InlineData("1 < 2 ? 3 : 4", "not plain arithmetic")]
    [InlineData("#2026-01-01#", "arithmetic")]
    [InlineData("1 << 40", "not plain arithmetic")]
    [InlineData("2 +", "not an arithmetic expression")]
    [InlineData("hello world", "")]
    [InlineData("", "no expression")]
    public void Evaluate_NotArithmetic_IsRefused(string expression, string reason)
    {
        var error = Assert.Throws<ToolException>(() => ArithmeticCalculator.Evaluate(expression));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("1.5 / (2 - 2)")]
    [InlineData("0 / 0")]
    [InlineData("7 % 0")]
    public void Evaluate_DivisionByZero_IsAClearError(string expression) =>
        Assert.Contains("divides by zero", Assert.Throws<ToolException>(() => ArithmeticCalculator.Evaluate(expression)).Message);

    [Fact]
    public void Evaluate_Overflow_IsAClearError() =>
        Assert.Throws<ToolException>(() => ArithmeticCalculator.Evaluate("79228162514264337593543950335 * 10"));

    [Fact]
    public void Evaluate_TooLong_IsRefused() =>
        Assert.Contains("too long", Assert.Throws<ToolException>(() => ArithmeticCalculator.Evaluate(string.Join("+", Enumerable.Repeat("1", 400)))).Message);
}

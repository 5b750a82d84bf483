using Parley.Server.Telemetry;

namespace Parley.Server.Tests;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("shop\nINFO: forged", "shop\\nINFO: forged")]
    [InlineData("a\r\nb\tc", "a\\r\\nb\\tc")]
    [InlineData("esc\u001b[31m", "esc\\u001b[31m")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("plain text", "plain text")]
    public void Escape_ControlCharacters_WrittenAsEscapes(string value, string expected) =>
        Assert.Equal(expected, LogText.Escape(value));

    [Theory]
    [InlineData("Incorrect API key provided: sk-proj-abcdef123456.", "Incorrect API key provided: ***.")]
    [InlineData("Authorization: Bearer abc.def.ghi", "Authorization: *** ***")]
    [InlineData("{\"api_key\": \"hunter2\"}", "{\"api_key\": \"***\"}")]
    [InlineData("token=QWERTYUIOPASDFGHJKLZXCVBNM1234567890abc", "token=***")]
    [InlineData("id 0123456789abcdef0123456789abcdef01 left", "id *** left")]
    [InlineData("HTTP 500: the model is overloaded", "HTTP 500: the model is overloaded")]
    public void MaskSecrets_KeyLikeStrings_AreMasked(string value, string expected) =>
        Assert.Equal(expected, LogText.MaskSecrets(value));
}

using Parley.Core.History;

namespace Parley.Core.Tests.History;

public sealed class ModelContextWindowsTests
{
    [Theory]
    [InlineData("gpt-4o", 128_000)]
    [InlineData("gpt-4o-mini-2024-07-18", 128_000)]
    [InlineData("gpt-4.1-mini", 1_047_576)]
    [InlineData("gpt-5-mini", 400_000)]
    [InlineData("gpt-4-turbo", 128_000)]
    [InlineData("gpt-4", 8_192)]
    [InlineData("gpt-4-0613", 8_192)]
    [InlineData("gpt-3.5-turbo", 16_385)]
    [InlineData("o1", 200_000)]
    [InlineData("o3-mini", 200_000)]
    [InlineData("o4-mini", 200_000)]
    [InlineData("llama3:8b", 8_192)]
    [InlineData("qwen2.5:7b", 32_768)]
    [InlineData("mistral", 32_768)]
    [InlineData("OpenAI/GPT-4O", 128_000)]
    public void GetContextWindow_KnownModel_ReturnsWindow(string modelId, int expected)
    {
        Assert.True(ModelContextWindows.TryGetContextWindow(modelId, out int window));
        Assert.Equal(expected, window);
        Assert.Equal(expected, ModelContextWindows.GetContextWindow(modelId));
    }

    [Theory]
    [InlineData("phi3")]
    [InlineData("")]
    [InlineData(null)]
    public void GetContextWindow_UnknownModel_ReturnsDefault(string? modelId)
    {
        Assert.False(ModelContextWindows.TryGetContextWindow(modelId, out _));
        Assert.Equal(ModelContextWindows.DefaultContextWindow, ModelContextWindows.GetContextWindow(modelId));
        Assert.Equal(8192, ModelContextWindows.DefaultContextWindow);
    }
}

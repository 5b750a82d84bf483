using Parley.Server.Security;

namespace Parley.Server.Tests;

public sealed class ApiKeyFileTests
{
    [Fact]
    public async Task ReadAsync_CommentsAndBlankLines_AreSkipped()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "# team keys\nsk-one\n\n  sk-two  \n  # old: sk-zero\n");

            var keys = await ApiKeyFile.ReadAsync(path);

            Assert.Equal(["sk-one", "sk-two"], keys);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task ReadAsync_MissingFile_ThrowsNamingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), "parley-no-such-keys-" + Guid.NewGuid().ToString("N"));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ApiKeyFile.ReadAsync(path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(-600)]
    public void Validate_RateLimitNegative_Throws(int permits)
    {
        var options = new ParleyServerOptions { RateLimitPermits = permits };
        options.BotFolders.Add("bot");

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Equal(nameof(ParleyServerOptions.RateLimitPermits), error.ParamName);
    }

    [Fact]
    public void Validate_RateLimitZero_MeansOffAndIsTheDefault()
    {
        var options = new ParleyServerOptions { RateLimitPermits = 0 };
        options.BotFolders.Add("bot");

        options.Validate();

        Assert.Equal(0, new ParleyServerOptions().RateLimitPermits);
    }
}

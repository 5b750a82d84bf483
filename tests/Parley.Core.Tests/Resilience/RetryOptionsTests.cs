using Microsoft.Extensions.AI;
using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.Core.Tests.Resilience;

public sealed class RetryOptionsTests
{
    [Fact]
    public void Constructor_Defaults_AreTheDocumentedOnes()
    {
        var options = new RetryOptions();

        Assert.Equal(4, options.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.InitialDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MaxDelay);
        Assert.Equal(TimeSpan.FromSeconds(60), options.Deadline);
        Assert.Equal(0.25, options.JitterFactor);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Null(options.Random);
        options.Validate();
    }

    public static TheoryData<Action<RetryOptions>, string> InvalidSettings => new()
    {
        { o => o.MaxAttempts = 0, "MaxAttempts must be at least 1" },
        { o => o.InitialDelay = TimeSpan.FromSeconds(-1), "InitialDelay must be zero or more" },
        { o => o.MaxDelay = TimeSpan.FromSeconds(0.1), "MaxDelay (00:00:00.1000000) must be at least InitialDelay" },
        { o => o.Deadline = TimeSpan.Zero, "Deadline must be greater than zero" },
        { o => o.Deadline = TimeSpan.FromDays(60), "at most 49 days" },
        { o => o.JitterFactor = 1.5, "JitterFactor must be from 0 to 1" },
        { o => o.JitterFactor = double.NaN, "JitterFactor must be from 0 to 1" },
        { o => o.TimeProvider = null!, "TimeProvider must be set" },
        { o => o.Classifier = null!, "Classifier must be set" },
        { o => o.Describer = null!, "Describer must be set" },
    };

    [Theory]
    [MemberData(nameof(InvalidSettings))]
    public void Validate_OutOfRange_ThrowsNamingTheSetting(Action<RetryOptions> breakIt, string expected)
    {
        var options = new RetryOptions();
        breakIt(options);

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Validate_InfiniteDeadline_IsAccepted()
    {
        new RetryOptions { Deadline = Timeout.InfiniteTimeSpan }.Validate();
    }

    [Fact]
    public async Task UseRetries_Configure_BuildsARetryingPipeline()
    {
        var inner = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromException<ChatResponse>(new IOException("reset")) };
        var client = new ChatClientBuilder(inner).UseRetries(o => { o.MaxAttempts = 2; o.InitialDelay = TimeSpan.Zero; }).Build();

        var error = await Assert.ThrowsAsync<UpstreamException>(() => client.GetResponseAsync("hi"));

        Assert.NotNull(client.GetService<RetryingChatClient>());
        Assert.Equal(2, error.Attempts);
        Assert.Equal(2, inner.ResponseCalls);
    }

    [Fact]
    public void UseRetries_InvalidOptions_ThrowsWhenBuilt()
    {
        var builder = new ChatClientBuilder(new TestChatClient()).UseRetries(o => o.JitterFactor = -1);

        Assert.Throws<ArgumentException>(() => builder.Build());
    }
}

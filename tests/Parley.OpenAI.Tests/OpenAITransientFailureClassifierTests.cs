using System.ClientModel;
using Parley.Core.Resilience;

namespace Parley.OpenAI.Tests;

public sealed class OpenAITransientFailureClassifierTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("1500", null, 1.5)]
    [InlineData("1500", "30", 1.5)]
    [InlineData(null, "7", 7)]
    [InlineData(null, "0.25", 0.25)]
    [InlineData("junk", "3", 3)]
    public void ParseRetryAfter_MillisecondsOrSeconds_GivesTheWait(string? retryAfterMs, string? retryAfter, double seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), OpenAITransientFailureClassifier.ParseRetryAfter(retryAfterMs, retryAfter, null, s_now));
    }

    [Fact]
    public void ParseRetryAfter_HttpDate_IsMeasuredFromTheResponseDate()
    {
        var wait = OpenAITransientFailureClassifier.ParseRetryAfter(null, "Sat, 28 Nov 2026 12:00:40 GMT", "Sat, 28 Nov 2026 12:00:10 GMT", s_now);

        Assert.Equal(TimeSpan.FromSeconds(30), wait);
    }

    [Fact]
    public void ParseRetryAfter_HttpDateWithoutResponseDate_IsMeasuredFromNow()
    {
        var wait = OpenAITransientFailureClassifier.ParseRetryAfter(null, "Sat, 28 Nov 2026 12:00:05 GMT", null, s_now);

        Assert.Equal(TimeSpan.FromSeconds(5), wait);
    }

    [Fact]
    public void ParseRetryAfter_DateInThePast_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, OpenAITransientFailureClassifier.ParseRetryAfter(null, "Sat, 28 Nov 2026 11:00:00 GMT", null, s_now));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(null, "soon")]
    [InlineData("-5", "-5")]
    public void ParseRetryAfter_MissingOrInvalid_IsNull(string? retryAfterMs, string? retryAfter)
    {
        Assert.Null(OpenAITransientFailureClassifier.ParseRetryAfter(retryAfterMs, retryAfter, null, s_now));
    }

    [Fact]
    public void Classify_ClientResultWithoutResponse_ClassifiesTheTransportError()
    {
        var error = new ClientResultException("Connection refused", response: null, new HttpRequestException("Connection refused (127.0.0.1:9)"));

        var failure = OpenAITransientFailureClassifier.Classify(error);

        Assert.Equal(new TransientFailure(null, null, "HttpRequestException: Connection refused (127.0.0.1:9)"), failure);
        Assert.Equal(new UpstreamFailure(null, "HttpRequestException: Connection refused (127.0.0.1:9)"), OpenAITransientFailureClassifier.Describe(error));
    }

    [Fact]
    public void Classify_ClientResultWithoutResponseOrCause_IsTransient()
    {
        Assert.Equal("no response from the endpoint", OpenAITransientFailureClassifier.Classify(new ClientResultException("?", response: null))?.Reason);
    }

    [Fact]
    public void Classify_StreamCut_IsTransient()
    {
        var cut = new IOException("Unable to read data from the transport connection: Connection reset by peer.");

        Assert.NotNull(OpenAITransientFailureClassifier.Classify(cut));
    }

    [Fact]
    public void Classify_OtherException_IsNotTransient()
    {
        Assert.Null(OpenAITransientFailureClassifier.Classify(new InvalidOperationException("bug")));
    }
}

using System.Net;
using Parley.Core.Resilience;
using static Parley.Core.Tests.Resilience.RetryTestHelpers;

namespace Parley.Core.Tests.Resilience;

public sealed class TransientFailureTests
{
    [Theory]
    [InlineData(408, "HTTP 408 Request Timeout")]
    [InlineData(429, "HTTP 429 Too Many Requests")]
    [InlineData(500, "HTTP 500 Internal Server Error")]
    [InlineData(502, "HTTP 502 Bad Gateway")]
    [InlineData(503, "HTTP 503 Service Unavailable")]
    [InlineData(504, "HTTP 504 Gateway Timeout")]
    [InlineData(599, "HTTP 599")]
    public void Classify_TransientHttpStatus_ReturnsFailureWithStatus(int status, string reason)
    {
        var failure = TransientFailure.Classify(Http(status));

        Assert.Equal(new TransientFailure(status, null, reason), failure);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(422)]
    public void Classify_ClientErrorStatus_ReturnsNull(int status)
    {
        Assert.Null(TransientFailure.Classify(Http(status)));
    }

    public static TheoryData<Exception, string> TransportFailures => new()
    {
        { new HttpRequestException("Connection refused (127.0.0.1:9)", new IOException(), statusCode: null), "HttpRequestException: Connection refused (127.0.0.1:9)" },
        { new IOException("Unable to read data from the transport connection: Connection reset by peer."), "IOException: Unable to read data from the transport connection: Connection reset by peer." },
        { new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely."), "HttpIOException: The response ended prematurely. (ResponseEnded)" },
        { new TimeoutException("The operation has timed out."), "TimeoutException: The operation has timed out." },
        { new TaskCanceledException("exceeded the configured timeout"), "TaskCanceledException: exceeded the configured timeout" },
    };

    [Theory]
    [MemberData(nameof(TransportFailures))]
    public void Classify_TransportFailure_ReturnsFailureWithoutStatus(Exception exception, string reason)
    {
        var failure = TransientFailure.Classify(exception);

        Assert.Equal(new TransientFailure(null, null, reason), failure);
    }

    [Fact]
    public void Classify_OtherException_ReturnsNull()
    {
        Assert.Null(TransientFailure.Classify(new InvalidOperationException("bug")));
        Assert.Null(TransientFailure.Classify(new FormatException("bad json")));
    }

    [Fact]
    public void Describe_HttpStatus_GivesStatusAndName()
    {
        Assert.Equal(new UpstreamFailure(404, "HTTP 404 Not Found"), UpstreamFailure.Describe(Http(404)));
    }

    [Fact]
    public void ForStatus_ServerMessage_IsAppendedOnOneLine()
    {
        var failure = UpstreamFailure.ForStatus((int)HttpStatusCode.Unauthorized, "Incorrect API key\n  provided.");

        Assert.Equal("HTTP 401 Unauthorized: Incorrect API key provided.", failure.Reason);
    }

    [Fact]
    public void ForStatus_VeryLongServerMessage_IsTruncated()
    {
        var failure = UpstreamFailure.ForStatus(400, new string('x', 5000));

        Assert.InRange(failure.Reason.Length, 300, 330);
        Assert.EndsWith("…", failure.Reason);
    }
}

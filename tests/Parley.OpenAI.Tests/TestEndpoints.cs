using Parley.Core.Resilience;
using Parley.Testing;

namespace Parley.OpenAI.Tests;

internal static class TestEndpoints
{
    public static OpenAIEndpointOptions For(OpenAITestServer server, string? apiKey = null) =>
        new() { BaseUrl = server.BaseUrl, Model = "test-model", ApiKey = apiKey };

    /// <summary>Short waits so that retry tests stay fast; jitter seeded.</summary>
    public static void Fast(RetryOptions options)
    {
        options.InitialDelay = TimeSpan.FromMilliseconds(20);
        options.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Random = new Random(3);
    }
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ShutdownTests(ServerFixture server) : IDisposable
{
    public void Dispose() => server.ResetLlm();

    [Fact]
    public async Task StopAsync_OpenStream_DrainsItBeforeStopping()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => Slow(release.Task, ct);
        await using var loopback = await server.StartLoopbackServerAsync(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        using var http = new HttpClient { BaseAddress = new Uri(loopback.Urls.First()) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["model"] = "shop",
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "zqx vlorp slowly" }),
                ["stream"] = true,
            }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync(), StringComparison.Ordinal);

        var stopping = loopback.StopAsync();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the server stopped while a stream was open");
        release.SetResult();
        var rest = await reader.ReadToEndAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Contains("second", rest, StringComparison.Ordinal);
        Assert.Contains("data: [DONE]", rest, StringComparison.Ordinal);
    }

    private static async IAsyncEnumerable<ChatResponseUpdate> Slow(Task release, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new ChatResponseUpdate(ChatRole.Assistant, "first ");
        await release.WaitAsync(cancellationToken);
        yield return new ChatResponseUpdate(ChatRole.Assistant, "second");
    }
}

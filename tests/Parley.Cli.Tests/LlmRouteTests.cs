using Parley.Testing;

namespace Parley.Cli.Tests;

public sealed class LlmRouteTests : IAsyncLifetime, IDisposable
{
    private readonly CliRunner _cli = new();
    private OpenAITestServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAITestServer.StartAsync();
        _cli.Environment["OPENAI_BASE_URL"] = _server.BaseUrl.ToString();
        _cli.Environment["PARLEY_MODEL"] = "test-model";
        _cli.Environment["Parley__Retry__DeadlineSeconds"] = "5";
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task AskJson_OutOfScopeWithEndpoint_IsAnsweredByTheServer()
    {
        _server.Enqueue(ServerStep.Reply("Mars is cold, but I can only help with Northwind Goods."));

        var result = await _cli.RunAsync(["ask", "--json", "what is the weather like on mars?"]);

        result.AssertSucceeded();
        var json = result.Json();
        Assert.Equal("llm", json.GetProperty("route").GetString());
        Assert.Equal("Mars is cold, but I can only help with Northwind Goods.", json.GetProperty("reply").GetString());
        Assert.True(json.GetProperty("usage").GetProperty("total_tokens").GetInt32() > 0);
        var request = Assert.Single(_server.Requests);
        Assert.Contains("test-model", request.Body);
        Assert.Contains("Northwind Goods", request.Body);
    }

    [Fact]
    public async Task AskJson_KnowledgeQuestionWithEndpoint_GroundsTheModelAndResolvesCitations()
    {
        _server.Enqueue(ServerStep.Reply("Wooden boards should be washed by hand [1]."));

        var result = await _cli.RunAsync(["ask", "--json", "can a wooden chopping board go in the dishwasher?"]);

        var json = result.Json();
        Assert.Equal("llm", json.GetProperty("route").GetString());
        Assert.Contains("product-care.md", Assert.Single(_server.Requests).Body);
        Assert.Equal("product-care.md", Assert.Single(json.GetProperty("sources").EnumerateArray()).GetProperty("source").GetString());
    }

    [Fact]
    public async Task Chat_BotNone_TalksToTheModelDirectlyAndStoresTheSession()
    {
        _server.Enqueue(ServerStep.Reply("Straight from the model."));
        _server.Enqueue(ServerStep.Reply("Still the model."));

        // A question the shop bot would answer from its template: with no bot, the model gets it, with no persona.
        var result = await _cli.RunAsync(["chat", "--bot", "none", "--model", "ft:tuned-1", "--session", "direct"], "how long does shipping take?\nand returns?\n");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("model ft:tuned-1 at ", result.Output);
        Assert.Contains("(no bot)", result.Output);
        Assert.Contains("Straight from the model.", result.Output);
        Assert.Contains("Still the model.", result.Output);
        Assert.Equal(2, _server.Requests.Count);
        Assert.Contains("ft:tuned-1", _server.Requests[1].Body);
        Assert.Contains("Straight from the model.", _server.Requests[1].Body);
        Assert.DoesNotContain("Northwind", _server.Requests[0].Body);
        var list = await _cli.RunAsync(["sessions", "list"]);
        Assert.Contains("direct  ft:tuned-1", list.Output);
    }

    [Fact]
    public async Task Chat_BotNoneWithoutEndpoint_IsAUsageError()
    {
        _cli.Environment.Remove("OPENAI_BASE_URL");

        var result = await _cli.RunAsync(["chat", "--bot", "none", "--model", "ft:tuned-1"], "hello\n");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--bot none chats with a model directly and needs an endpoint", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Ask_ConfidentIntentWithEndpoint_StillAnswersFromTemplate()
    {
        var result = await _cli.RunAsync(["ask", "--json", "how long does shipping take?"]);

        Assert.Equal("template", result.Json().GetProperty("route").GetString());
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task Ask_UpstreamKeepsFailing_ExitsWithFailureAndReason()
    {
        for (var i = 0; i < 4; i++)
        {
            _server.Enqueue(ServerStep.Status(503));
        }

        _cli.Environment["Parley__Retry__MaxAttempts"] = "2";
        var result = await _cli.RunAsync(["ask", "what is the meaning of life, the universe and everything?"]);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith("parley: ", result.Error);
        Assert.Contains("503", result.Error);
        Assert.Equal(2, _server.Requests.Count);
    }

    [Fact]
    public async Task Ask_Streaming_PrintsTheServersReply()
    {
        _server.Enqueue(ServerStep.Reply("Streaming works fine here."));

        var result = await _cli.RunAsync(["ask", "tell me a fun fact about volcanoes"]);

        result.AssertSucceeded();
        Assert.Contains("Streaming works fine here.", result.Output);
    }
}

using System.Net;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using OpenAI.Chat;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class MetricsTests(ServerFixture server)
{
    [Fact]
    public async Task GetMetrics_AfterChats_HasRequestTokenStreamAndErrorSeries()
    {
        server.ResetLlm();
        await using var app = await server.StartServerAsync(_ => { });
        using var http = app.GetTestClient();
        var chat = ServerFixture.CreateClient(app, "unused").GetChatClient(server.BotModel);

        await chat.CompleteChatAsync([new UserChatMessage("zqx vlorp sonnet about quasars")]);
        await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("zqx vlorp sonnet about quasars")]))
        {
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/v1/models/nope")).StatusCode);
        using var response = await http.GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"200\"[^}]*http_route=\"/v1/chat/completions\"", text);
        Assert.Matches("http_server_request_duration_seconds_count\\{[^}]*http_response_status_code=\"404\"", text);
        Assert.Matches("parley_server_tokens_input_total\\{[^}]*model=\"shop\"", text);
        Assert.Matches("parley_server_tokens_output_total\\{[^}]*model=\"shop\"", text);
        Assert.Matches("parley_server_time_to_first_token_seconds_count\\{[^}]*model=\"shop\"", text);
        Assert.Matches("parley_server_errors_total\\{[^}]*code=\"model_not_found\"", text);
        Assert.Contains("parley_server_active_streams", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetMetrics_AfterUpstreamChatsForwardedAndStreamed_HasOneGenAiTokenUsageAndDurationSeriesForBoth()
    {
        await using var upstream = await Parley.Testing.OpenAITestServer.StartAsync();
        upstream.Enqueue(Parley.Testing.ServerStep.Reply("Hello from upstream."), Parley.Testing.ServerStep.Reply("Streamed hello."));
        await using var app = await server.StartServerAsync(_ => { }, builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["OpenAI:BaseUrl"] = upstream.BaseUrl.ToString(),
            ["OpenAI:Model"] = "test-model",
        }));
        using var http = app.GetTestClient();

        var chat = ServerFixture.CreateClient(app, "unused").GetChatClient("test-model");
        // JSON is forwarded as it is; a stream goes through Microsoft.Extensions.AI's chat client. Both record GenAI metrics.
        var completion = (await chat.CompleteChatAsync([new UserChatMessage("hi")])).Value;
        await foreach (var _ in chat.CompleteChatStreamingAsync([new UserChatMessage("hi again")]))
        {
        }

        var text = await http.GetStringAsync("/metrics");

        Assert.Equal("Hello from upstream.", completion.Content[0].Text);
        Assert.Matches("gen_ai_client_token_usage[^{]*\\{[^}]*gen_ai_request_model=\"test-model\"", text);
        Assert.Matches("gen_ai_client_operation_duration[^{]*\\{[^}]*gen_ai_operation_name=\"chat\"", text);
        // One metric family each (a second instrument of the same name would be exported twice, which scrapers refuse),
        // counting both calls.
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE gen_ai_client_operation_duration", StringComparison.Ordinal));
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE gen_ai_client_token_usage", StringComparison.Ordinal));
        var counts = text.Split('\n').Where(l => l.StartsWith("gen_ai_client_operation_duration_seconds_count", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, counts.Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture)));
    }
}

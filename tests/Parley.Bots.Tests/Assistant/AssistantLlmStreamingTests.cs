using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.OpenAI;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Bots.Tests.Assistant;

/// <summary>
/// The assistant's LLM path over the wire: the real OpenAI client streaming from the in-process OpenAI-compatible test
/// server, which asks for tools as a model does (several round trips, parallel calls, a failing tool, approvals).
/// </summary>
public sealed class AssistantLlmStreamingTests : IAsyncLifetime
{
    private readonly AssistantHost _host = new();
    private OpenAITestServer _server = null!;
    private Bot _bot = null!;

    public async Task InitializeAsync()
    {
        _server = await OpenAITestServer.StartAsync();
        var llm = OpenAIChatClientFactory.Create(new OpenAIEndpointOptions { BaseUrl = _server.BaseUrl, Model = OpenAITestServer.DefaultModel, ApiKey = "test" });
        _bot = await _host.BuildAsync(new Uri("http://127.0.0.1:9/"), llm);
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _server.DisposeAsync();
        await _host.DisposeAsync();
    }

    private static JsonArray Messages(RecordedHttpRequest request) => request.Json!["messages"]!.AsArray();

    private static IEnumerable<JsonNode> ToolMessages(RecordedHttpRequest request) =>
        Messages(request).Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!);

    /// <summary>Streams one turn as <c>parley chat</c> does and returns what the user saw, folded into one response.</summary>
    private async Task<(string Streamed, ChatResponse Response)> StreamAsync(string session, string text, bool approve = false)
    {
        var chat = await _host.OpenAsync(_bot, session);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in chat.SendStreamingAsync(text, new ChatOptions().ForSession(session, approve)))
        {
            updates.Add(update);
        }

        return (string.Concat(updates.Select(u => u.Text)), updates.ToChatResponse());
    }

    [Fact]
    public async Task Streaming_ParallelCallsAFailingToolAndASecondRoundTrip_AllResultsReachTheModel()
    {
        // Round 1: two calls at once, one of which fails; round 2: one more call built on a result; round 3: the answer.
        _server.Enqueue(
            ServerStep.ParallelToolCalls(
                ("calculator", """{"expression":"17% of 2,340"}""", "call_a"),
                ("current_time", """{"place":"Narnia"}""", "call_b")),
            ServerStep.ToolCall("calculator", """{"expression":"397.8 * 2"}""", "call_c"),
            ServerStep.Reply("17% of 2,340 is 397.8, twice that is 795.6, and I cannot tell the time in Narnia."));

        var (streamed, response) = await StreamAsync("s1", "what's 17% of 2,340, twice that, and the time in Narnia?");

        Assert.Equal("17% of 2,340 is 397.8, twice that is 795.6, and I cannot tell the time in Narnia.", streamed);
        var requests = _server.ChatRequests;
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.True(r.Json!["stream"]!.GetValue<bool>()));

        // The first request: the persona's system prompt, the user's message, and the bot's tools.
        var first = requests[0];
        Assert.Equal("system", Messages(first)[0]!["role"]!.GetValue<string>());
        Assert.Contains(_bot.SystemPrompt!.Split('\n')[0], Messages(first)[0]!["content"]!.ToJsonString().Replace("\\u0027", "'"), StringComparison.Ordinal);
        var tools = first.Json!["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("calculator", tools);
        Assert.Contains("calendar_create", tools);

        // Both parallel results went back in one request, each with its call id; the failure as an error result.
        var round2 = ToolMessages(requests[1]).ToDictionary(m => m["tool_call_id"]!.GetValue<string>(), m => m["content"]!.ToJsonString());
        Assert.Equal(["call_a", "call_b"], round2.Keys.Order());
        Assert.Contains("397.8", round2["call_a"]);
        Assert.Contains("Narnia", round2["call_b"]);
        Assert.Contains("Error", round2["call_b"]);
        var round3 = ToolMessages(requests[2]).Select(m => m["content"]!.ToJsonString()).ToList();
        Assert.Contains(round3, c => c.Contains("795.6", StringComparison.Ordinal));

        var calls = BotReplyInfo.From(response.AdditionalProperties).ToolCalls!;
        Assert.Equal(["calculator", "current_time", "calculator"], calls.Select(c => c.Name));
        Assert.Equal("795.6", calls[2].Result);
        Assert.StartsWith("Error:", calls[1].Result);

        // The stored session holds the whole exchange, so the next turn's prompt carries it.
        var stored = await _host.Conversations.GetAsync("s1");
        Assert.NotNull(stored);
        Assert.Equal(streamed, stored!.Messages[^1].Message.Text);
    }

    [Fact]
    public async Task Streaming_KnowledgeQuestion_ThePromptHasPersonaNumberedSourcesAndTools()
    {
        _server.Enqueue(ServerStep.Reply("No, it names the clash instead [1]."));

        var (streamed, response) = await StreamAsync("s4", "does the assistant book an event over another one?");

        Assert.Equal("No, it names the clash instead [1].", streamed);
        var request = Assert.Single(_server.ChatRequests);
        var system = string.Concat(Messages(request).Where(m => m!["role"]!.GetValue<string>() == "system").Select(m => m!["content"]!.ToJsonString()));
        Assert.Contains("numbered sources", system, StringComparison.Ordinal);
        Assert.Contains("[1]", system, StringComparison.Ordinal);
        Assert.Contains("names the clash", system, StringComparison.Ordinal);
        Assert.NotEmpty(request.Json!["tools"]!.AsArray());
        Assert.Contains(BotReplyInfo.From(response.AdditionalProperties).Sources, s => s.Source.EndsWith("assistant.md", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streaming_ApprovalDeniedThenGranted_TheCalendarChangesOnlyWhenApproved()
    {
        var calls = 0;
        _server.Responder = request =>
        {
            var last = Messages(request)[^1]!;
            return last["role"]!.GetValue<string>() == "tool"
                ? ServerStep.Reply("Result: " + last["content"]!.GetValue<string>())
                : ServerStep.ToolCall("calendar_create", """{"title":"Call with Anna","when":"tomorrow at 10"}""", $"call_book_{Interlocked.Increment(ref calls)}");
        };

        var (_, asked) = await StreamAsync("s2", "book a call with Anna tomorrow at 10");
        Assert.True(ToolForm.IsAwaitingApproval(asked));
        Assert.Single(_server.ChatRequests);
        Assert.Empty(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));

        var (deniedText, denied) = await StreamAsync("s2", "no");
        Assert.Empty(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.False(BotReplyInfo.From(denied.AdditionalProperties).ToolCalls![0].Approved);
        // The model was told the call was not approved, and its reply was streamed.
        var afterDenial = _server.ChatRequests[^1];
        Assert.Contains(ToolMessages(afterDenial), m => m["tool_call_id"]!.GetValue<string>() == "call_book_1");
        Assert.StartsWith("Result:", deniedText);

        await StreamAsync("s2", "book a call with Anna tomorrow at 10");
        var (grantedText, granted) = await StreamAsync("s2", "yes");

        var booked = Assert.Single(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal("Call with Anna", booked.Title);
        Assert.Contains("Booked event", grantedText);
        Assert.Equal((bool?)true, Assert.Single(BotReplyInfo.From(granted.AdditionalProperties).ToolCalls!).Approved);
    }
}

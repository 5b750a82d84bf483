using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Bots.Tests.Assistant;

/// <summary>The assistant with an LLM (a scripted double): tools through function calling, approval round trips in the session.</summary>
public sealed class AssistantLlmToolTests : IAsyncLifetime
{
    private readonly AssistantHost _host = new();
    private readonly TestChatClient _llm = new();
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];
    private Bot _bot = null!;

    public async Task InitializeAsync() => _bot = await _host.BuildAsync(new Uri("http://127.0.0.1:9/"), _llm);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>The model asks for <paramref name="calls"/> when the last message is the user's, else answers <paramref name="answer"/>.</summary>
    private void Script(Func<IReadOnlyList<ChatMessage>, string> answer, params FunctionCallContent[] calls) =>
        _llm.GetResponseAsyncCallback = (messages, options, _) =>
        {
            var list = messages.ToList();
            _requests.Add(list);
            Assert.Equal(7, options!.Tools!.Count);
            Assert.False(options.AdditionalProperties?.ContainsKey(ToolChatOptions.SessionKey) ?? false);
            var reply = list[^1].Role == ChatRole.User && list[^1].Contents.All(c => c is TextContent)
                ? new ChatMessage(ChatRole.Assistant, [.. calls.Select(c => new FunctionCallContent($"{c.CallId}-{_requests.Count}", c.Name, c.Arguments))])
                : new ChatMessage(ChatRole.Assistant, answer(list));
            return Task.FromResult(new ChatResponse(reply));
        };

    private async Task<ChatResponse> SendAsync(string session, string text, bool approve = false)
    {
        var chat = await _host.OpenAsync(_bot, session);
        return await chat.SendAsync(text, new ChatOptions().ForSession(session, approve));
    }

    [Fact]
    public async Task Llm_ParallelCallsOneFailing_ResultsGoBackToTheModelAndAreRecorded()
    {
        Script(
            list => $"Results: {string.Join(" | ", list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.Result))}",
            new FunctionCallContent("c1", "calculator", new Dictionary<string, object?> { ["expression"] = "17% of 2,340" }),
            new FunctionCallContent("c2", "current_time", new Dictionary<string, object?> { ["place"] = "Narnia" }));

        var response = await SendAsync("s1", "what's 17% of 2,340 and the time in Narnia?");

        Assert.Equal(2, _requests.Count);
        Assert.Contains("397.8", response.Text);
        Assert.Contains("Error: I don't know the time zone of 'Narnia'", response.Text);
        var info = BotReplyInfo.From(response.AdditionalProperties);
        Assert.Equal(["calculator", "current_time"], info.ToolCalls!.Select(c => c.Name));
        Assert.Equal("397.8", info.ToolCalls![0].Result);
        Assert.StartsWith("Error:", info.ToolCalls![1].Result);
    }

    [Fact]
    public async Task Llm_ApprovalDeniedThenGranted_ChangesTheCalendarOnlyWhenApproved()
    {
        var create = new FunctionCallContent("c1", "calendar_create", new Dictionary<string, object?> { ["title"] = "Call with Anna", ["when"] = "tomorrow at 10" });
        Script(list => list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault()?.Result?.ToString() ?? "?", create);

        var asked = await SendAsync("s2", "book a call with Anna tomorrow at 10");
        Assert.True(ToolForm.IsAwaitingApproval(asked));
        var pending = Assert.Single(BotReplyInfo.From(asked.AdditionalProperties).ToolCalls!);
        Assert.Equal(("calendar_create", (bool?)false, (string?)null), (pending.Name, pending.Approved, pending.Result));
        Assert.Empty(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));

        var denied = await SendAsync("s2", "no");
        Assert.Empty(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.False(BotReplyInfo.From(denied.AdditionalProperties).ToolCalls![0].Approved);

        await SendAsync("s2", "book a call with Anna tomorrow at 10");
        var granted = await SendAsync("s2", "yes");

        Assert.Single(await _host.Calendar.ListAsync("s2", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.StartsWith("Booked event 1, Call with Anna", granted.Text);
        var call = Assert.Single(BotReplyInfo.From(granted.AdditionalProperties).ToolCalls!);
        Assert.Equal((bool?)true, call.Approved);
    }

    [Fact]
    public async Task Llm_ApprovedUpFront_RunsWithoutAsking()
    {
        Script(list => list.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Last().Result?.ToString() ?? "?",
            new FunctionCallContent("c1", "calendar_create", new Dictionary<string, object?> { ["title"] = "Gym", ["when"] = "friday at 7pm" }));

        var response = await SendAsync("s3", "book gym on friday at 7pm", approve: true);

        Assert.StartsWith("Booked event 1, Gym, Fri 4 Dec 19:00", response.Text);
    }
}

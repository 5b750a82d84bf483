using Microsoft.Extensions.AI;
using Parley.Core.History;

namespace Parley.Core.Tests.History;

public sealed class TokenBudgetChatReducerTests
{
    private const int ReplyBudget = 100;
    private static readonly ChatTokenCounter s_counter = ChatTokenCounter.ForModel("gpt-4o");

    private static int Cost(params ChatMessage[] messages) => messages.Sum(s_counter.CountTokens);

    // A reducer whose history budget (after system prompt, reply and priming) is exactly historyBudget tokens.
    private static TokenBudgetChatReducer ReducerWithHistoryBudget(int historyBudget, params ChatMessage[] system) =>
        new(new TokenBudgetOptions
        {
            ModelId = "gpt-4o",
            ReplyBudget = ReplyBudget,
            ContextWindow = ReplyBudget + Cost(system) + ChatTokenCounter.ReplyPrimingTokens + historyBudget,
        });

    private static async Task<List<ChatMessage>> ReduceAsync(TokenBudgetChatReducer reducer, IEnumerable<ChatMessage> messages) =>
        [.. await reducer.ReduceAsync(messages, CancellationToken.None)];

    private static List<ChatMessage> Turns(int count)
    {
        var messages = new List<ChatMessage>();
        for (int i = 1; i <= count; i++)
        {
            messages.Add(new ChatMessage(ChatRole.User, $"Question number {i}: what happened in year {1900 + i}?"));
            messages.Add(new ChatMessage(ChatRole.Assistant, $"Answer number {i}: several things happened in {1900 + i}."));
        }

        return messages;
    }

    [Fact]
    public async Task ReduceAsync_UnderBudget_ReturnsHistoryUnchanged()
    {
        var system = new ChatMessage(ChatRole.System, "You are a historian.");
        List<ChatMessage> history = [system, .. Turns(5)];
        var reducer = ReducerWithHistoryBudget(Cost([.. history.Skip(1)]), system);

        var reduced = await ReduceAsync(reducer, history);

        Assert.Equal(history, reduced);
    }

    [Fact]
    public async Task ReduceAsync_OverBudget_KeepsSystemPromptAndNewestMessagesInOrder()
    {
        var system = new ChatMessage(ChatRole.System, "You are a historian.");
        var turns = Turns(10);
        List<ChatMessage> history = [system, .. turns];
        var newestFour = turns.TakeLast(4).ToArray();
        var reducer = ReducerWithHistoryBudget(Cost(newestFour) + Cost(turns[^5]) - 1, system);

        var reduced = await ReduceAsync(reducer, history);

        Assert.Equal([system, .. newestFour], reduced);
        Assert.True(s_counter.CountTokens(reduced) <= reducer.ContextWindow - ReplyBudget);
    }

    [Fact]
    public async Task ReduceAsync_LeadingSystemAndDeveloperMessages_AlwaysKept()
    {
        var system = new ChatMessage(ChatRole.System, "You are a historian.");
        var developer = new ChatMessage(new ChatRole("developer"), "Answer in one sentence.");
        var turns = Turns(6);
        var reducer = ReducerWithHistoryBudget(Cost(turns[^1]), system, developer);

        var reduced = await ReduceAsync(reducer, [system, developer, .. turns]);

        Assert.Equal([system, developer, turns[^2], turns[^1]], reduced);
    }

    [Fact]
    public async Task ReduceAsync_LastUserMessageAloneOverBudget_KeepsItAnyway()
    {
        var system = new ChatMessage(ChatRole.System, "You are a historian.");
        var big = new ChatMessage(ChatRole.User, string.Join(' ', Enumerable.Repeat("Tell me everything about the twentieth century.", 50)));
        var reducer = ReducerWithHistoryBudget(10, system);

        var reduced = await ReduceAsync(reducer, [system, .. Turns(3), big]);

        Assert.Equal([system, big], reduced);
    }

    [Fact]
    public async Task ReduceAsync_ToolResultFitsButCallDoesNot_DropsBoth()
    {
        var (history, call, result, answer, next) = ToolHistory();
        var reducer = ReducerWithHistoryBudget(Cost(next, answer, result, call) - 1);

        var reduced = await ReduceAsync(reducer, history);

        Assert.Equal([answer, next], reduced);
    }

    [Fact]
    public async Task ReduceAsync_ToolCallAndResultFit_KeepsBoth()
    {
        var (history, call, result, answer, next) = ToolHistory();
        var reducer = ReducerWithHistoryBudget(Cost(next, answer, result, call));

        var reduced = await ReduceAsync(reducer, history);

        Assert.Equal([call, result, answer, next], reduced);
    }

    [Fact]
    public async Task ReduceAsync_ParallelToolCalls_ResultsStayWithCall()
    {
        var question = new ChatMessage(ChatRole.User, "Weather in Oslo and Rome?");
        var calls = new ChatMessage(ChatRole.Assistant,
        [
            new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" }),
            new FunctionCallContent("c2", "weather", new Dictionary<string, object?> { ["city"] = "Rome" }),
        ]);
        var oslo = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "Oslo: 3 °C, snow")]);
        var rome = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c2", "Rome: 18 °C, sunny")]);
        var answer = new ChatMessage(ChatRole.Assistant, "Cold in Oslo, mild in Rome.");
        var next = new ChatMessage(ChatRole.User, "Thanks!");
        var reducer = ReducerWithHistoryBudget(Cost(next, answer, rome, oslo) + 2);

        var reduced = await ReduceAsync(reducer, [question, calls, oslo, rome, answer, next]);

        Assert.Equal([answer, next], reduced);
    }

    [Fact]
    public async Task ReduceAsync_OrphanToolResultAtStart_IsDropped()
    {
        var orphan = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("gone", "42")]);
        var answer = new ChatMessage(ChatRole.Assistant, "The answer is 42.");
        var next = new ChatMessage(ChatRole.User, "Why?");
        var reducer = new TokenBudgetChatReducer(new TokenBudgetOptions { ModelId = "gpt-4o" });

        var reduced = await ReduceAsync(reducer, [orphan, answer, next]);

        Assert.Equal([answer, next], reduced);
    }

    [Fact]
    public async Task ReduceAsync_ToolLoopAfterLastUserMessage_KeptAsCurrentTurn()
    {
        var old = new ChatMessage(ChatRole.User, "An older question that should go.");
        var oldAnswer = new ChatMessage(ChatRole.Assistant, "An older answer that should go.");
        var question = new ChatMessage(ChatRole.User, "What's 6 times 7?");
        var call = new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("m1", "multiply", new Dictionary<string, object?> { ["a"] = 6, ["b"] = 7 })]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("m1", 42)]);
        var reducer = ReducerWithHistoryBudget(Cost(result));

        var reduced = await ReduceAsync(reducer, [old, oldAnswer, question, call, result]);

        Assert.Equal([question, call, result], reduced);
    }

    [Fact]
    public void Constructor_InvalidOptions_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TokenBudgetChatReducer(new TokenBudgetOptions { ContextWindow = 0 }));
        Assert.Throws<ArgumentException>(() => new TokenBudgetChatReducer(new TokenBudgetOptions { ContextWindow = 1000, ReplyBudget = 1000 }));
        Assert.Throws<ArgumentException>(() => new TokenBudgetChatReducer(new TokenBudgetOptions { ReplyBudget = -1 }));
        Assert.Throws<ArgumentException>(() => new TokenBudgetChatReducer(new TokenBudgetOptions { Encoding = "r50k_base" }));
    }

    [Fact]
    public void Constructor_DefaultOptions_UseModelWindowAndEncoding()
    {
        var reducer = new TokenBudgetChatReducer(new TokenBudgetOptions { ModelId = "gpt-3.5-turbo" });

        Assert.Equal(16_385, reducer.ContextWindow);
        Assert.Equal(TokenBudgetOptions.DefaultReplyBudget, reducer.ReplyBudget);
        Assert.Equal(ChatTokenCounter.Cl100kBase, reducer.Counter.Encoding);
    }

    private static (List<ChatMessage> History, ChatMessage Call, ChatMessage Result, ChatMessage Answer, ChatMessage Next) ToolHistory()
    {
        var question = new ChatMessage(ChatRole.User, "What's the weather in Paris?");
        var call = new ChatMessage(ChatRole.Assistant,
            [new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Paris" })]);
        var result = new ChatMessage(ChatRole.Tool, [new FunctionResultContent("call_1", "Sunny, 21 °C, light wind from the west")]);
        var answer = new ChatMessage(ChatRole.Assistant, "It is sunny and 21 °C in Paris.");
        var next = new ChatMessage(ChatRole.User, "Nice, thanks.");
        return ([question, call, result, answer, next], call, result, answer, next);
    }
}

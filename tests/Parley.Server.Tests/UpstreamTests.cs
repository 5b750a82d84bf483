using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using OpenAI.Chat;
using Parley.OpenAI;
using Parley.Testing;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class UpstreamTests(ServerFixture server) : IAsyncLifetime
{
    private const string Model = UpstreamGateway.Model;
    private static readonly BinaryData WeatherSchema = BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");

    private UpstreamGateway _gateway = null!;

    private ChatClient Chat => _gateway.Chat;

    public async Task InitializeAsync() => _gateway = await UpstreamGateway.StartAsync(server);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task ListModels_UpstreamConfigured_ListsItAfterBots()
    {
        var models = await ServerFixture.CreateClient(_gateway.App, "unused").GetOpenAIModelClient().GetModelsAsync();

        Assert.Equal(["shop", "all-MiniLM-L6-v2", Model], models.Value.Select(m => m.Id));
        Assert.Equal("upstream", models.Value[^1].OwnedBy);
    }

    [Fact]
    public async Task CompleteChat_UpstreamModel_PassesThroughWithSampling()
    {
        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("hello there")], new ChatCompletionOptions { Temperature = 0.25f, MaxOutputTokenCount = 50 })).Value;

        Assert.Equal("echo: hello there", completion.Content[0].Text);
        Assert.Equal(Model, completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        var sent = _gateway.Upstream.ChatRequests.Single().Json!;
        Assert.Equal(Model, (string?)sent["model"]);
        Assert.Equal(0.25, (double)sent["temperature"]!, 3);
    }

    [Fact]
    public async Task CompleteChatStreaming_UpstreamModel_StreamsTextAndUsage()
    {
        _gateway.Upstream.Enqueue(ServerStep.Reply("one two three"));
        var text = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("one two three", text.ToString().Trim());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
    }

    [Fact]
    public async Task CompleteChat_Tools_PassedThroughAndToolCallReturned()
    {
        _gateway.Upstream.Enqueue(ServerStep.ToolCall("get_weather", """{"city":"Paris"}""", "call_42"));
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "The weather in a city.", WeatherSchema) }, ToolChoice = ChatToolChoice.CreateRequiredChoice() };

        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("weather in Paris?")], options)).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_42", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", (string?)JsonNode.Parse(call.FunctionArguments.ToString())!["city"]);
        var sent = _gateway.Upstream.ChatRequests.Single().Json!;
        Assert.Equal("get_weather", (string?)sent["tools"]![0]!["function"]!["name"]);
        Assert.Equal("string", (string?)sent["tools"]![0]!["function"]!["parameters"]!["properties"]!["city"]!["type"]);
        Assert.Equal("required", (string?)sent["tool_choice"]);
    }

    [Fact]
    public async Task CompleteChatStreaming_Tools_ToolCallStreamed()
    {
        _gateway.Upstream.Enqueue(ServerStep.ToolCall("get_weather", """{"city":"Oslo"}""", "call_7"));
        var options = new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("get_weather", "The weather in a city.", WeatherSchema) } };
        var builder = new System.Text.StringBuilder();
        string? name = null;
        string? id = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("weather in Oslo?")], options))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                name ??= call.FunctionName;
                id ??= call.ToolCallId;
                builder.Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish ??= update.FinishReason;
        }

        Assert.Equal("get_weather", name);
        Assert.Equal("call_7", id);
        Assert.Equal("Oslo", (string?)JsonNode.Parse(builder.ToString())!["city"]);
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task CompleteChat_UpstreamFails_Returns502InOpenAIShape()
    {
        _gateway.Upstream.Enqueue(ServerStep.Status(500, message: "upstream is down"));

        var error = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() => Chat.CompleteChatAsync([new UserChatMessage("hello")]));

        Assert.Equal(502, error.Status);
        Assert.Contains("upstream_error", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_ToolResult_SentUpstreamWithCallId()
    {
        ChatMessage[] messages =
        [
            new UserChatMessage("weather in Paris?"),
            new AssistantChatMessage([ChatToolCall.CreateFunctionToolCall("call_42", "get_weather", BinaryData.FromString("""{"city":"Paris"}"""))]),
            new ToolChatMessage("call_42", "sunny, 21 C"),
        ];

        await Chat.CompleteChatAsync(messages);

        var sent = (JsonArray)_gateway.Upstream.ChatRequests.Single().Json!["messages"]!;
        Assert.Equal("call_42", (string?)sent[1]!["tool_calls"]![0]!["id"]);
        Assert.Equal("Paris", (string?)JsonNode.Parse((string)sent[1]!["tool_calls"]![0]!["function"]!["arguments"]!)!["city"]);
        Assert.Equal("tool", (string?)sent[2]!["role"]);
        Assert.Equal("call_42", (string?)sent[2]!["tool_call_id"]);
        Assert.Contains("sunny", sent[2]!["content"]!.ToJsonString(), StringComparison.Ordinal);
    }
}

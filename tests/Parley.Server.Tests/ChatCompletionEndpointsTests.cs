using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ChatCompletionEndpointsTests : IDisposable
{
    private readonly ServerFixture _server;

    public ChatCompletionEndpointsTests(ServerFixture server)
    {
        _server = server;
        _server.ResetLlm();
    }

    private ChatClient Chat => _server.OpenAI.GetChatClient(_server.BotModel);

    public void Dispose() => _server.ResetLlm();

    [Fact]
    public async Task CompleteChat_Greeting_AnswersFromTemplateWithUsage()
    {
        var llmCalls = _server.Llm.ResponseCalls;

        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("hello")])).Value;

        Assert.False(string.IsNullOrWhiteSpace(completion.Content[0].Text));
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal("shop", completion.Model);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.Equal(completion.Usage.InputTokenCount + completion.Usage.OutputTokenCount, completion.Usage.TotalTokenCount);
        Assert.Equal(llmCalls, _server.Llm.ResponseCalls);
    }

    [Fact]
    public async Task CompleteChat_Greeting_CarriesRouteAndIntentInParleyField()
    {
        var json = await PostAsync(new JsonObject { ["model"] = "shop", ["messages"] = Messages("hello") });

        Assert.Equal("template", (string?)json["parley"]?["route"]);
        Assert.Equal("greeting", (string?)json["parley"]?["intent"]?["name"]);
        Assert.Equal("chat.completion", (string?)json["object"]);
    }

    [Fact]
    public async Task CompleteChat_ParleyExplainRequested_ParleyFieldExplainsTheAnswer()
    {
        var plain = await PostAsync(new JsonObject { ["model"] = "shop", ["messages"] = Messages("can I pay with PayPal?") });
        var json = await PostAsync(new JsonObject { ["model"] = "shop", ["messages"] = Messages("can I pay with PayPal?"), ["parley"] = new JsonObject { ["explain"] = true } });

        Assert.Null(plain["parley"]?["explanation"]);
        var explanation = json["parley"]?["explanation"];
        Assert.Equal("payment_methods", (string?)explanation?["intent"]);
        Assert.NotEmpty(explanation!["intents"]!.AsArray());
        Assert.NotEmpty(explanation["examples"]!.AsArray());
        Assert.NotNull(explanation["passages"]);
    }

    [Fact]
    public async Task CompleteChat_UnknownExtraFields_AreAccepted()
    {
        var json = await PostAsync(new JsonObject
        {
            ["model"] = "shop",
            ["messages"] = Messages("hello"),
            ["frobnicate"] = new JsonObject { ["x"] = 1 },
            ["user"] = "u1",
            ["logit_bias"] = new JsonObject(),
        });

        Assert.Equal("stop", (string?)json["choices"]?[0]?["finish_reason"]);
    }

    [Fact]
    public async Task CompleteChat_MaxTokens_CutsReplyWithFinishReasonLength()
    {
        _server.Llm.GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new Microsoft.Extensions.AI.ChatResponse(
            new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "one two three four five six seven eight nine ten")));

        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("zqx vlorp sonnet about quasars")], new ChatCompletionOptions { MaxOutputTokenCount = 3 })).Value;

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal("one two three", completion.Content[0].Text);
        Assert.Equal(3, completion.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task CompleteChatStreaming_LlmReply_StreamsChunksThenUsage()
    {
        var llmCalls = _server.Llm.StreamingCalls;
        var text = new StringBuilder();
        var chunks = 0;
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("zqx vlorp sonnet about quasars")]))
        {
            chunks++;
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.StartsWith("echo:", text.ToString(), StringComparison.Ordinal);
        Assert.True(chunks > 4, $"expected the reply in several chunks, got {chunks}");
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.True(usage.OutputTokenCount > 0);
        Assert.Equal(llmCalls + 1, _server.Llm.StreamingCalls);
    }

    [Fact]
    public async Task CompleteChatStreaming_MaxTokens_CutsWithFinishReasonLength()
    {
        _server.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => Parley.Testing.TestChatClient.Updates(["one ", "two ", "three ", "four"], cancellationToken: ct);
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Chat.CompleteChatStreamingAsync([new UserChatMessage("zqx vlorp sonnet about quasars")], new ChatCompletionOptions { MaxOutputTokenCount = 2 }))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            finish ??= update.FinishReason;
        }

        Assert.Equal(ChatFinishReason.Length, finish);
        Assert.Equal("one two", text.ToString());
    }

    [Fact]
    public async Task PostStreaming_RawWire_IsServerSentEventsEndingInDone()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject { ["model"] = "shop", ["messages"] = Messages("hello"), ["stream"] = true }),
        };
        using var response = await _server.Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        Assert.Equal("data: [DONE]", events[^1]);
        var last = JsonNode.Parse(events[^2]["data: ".Length..])!;
        Assert.Equal("chat.completion.chunk", (string?)last["object"]);
        Assert.Equal("template", (string?)last["parley"]?["route"]);
    }

    [Fact]
    public async Task CompleteChat_SixteenConcurrentRequests_AllSucceed()
    {
        var replies = await Task.WhenAll(Enumerable.Range(0, 16).Select(async i =>
            (await Chat.CompleteChatAsync([new UserChatMessage($"zqx vlorp request {i}")])).Value.Content[0].Text));

        for (var i = 0; i < 16; i++)
        {
            Assert.Contains($"request {i}", replies[i], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task PostStreaming_ClientDisconnects_CancelsGeneration()
    {
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => Endless(cancelled, ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new JsonObject { ["model"] = "shop", ["messages"] = Messages("zqx vlorp forever"), ["stream"] = true }),
        };
        await using var loopback = await _server.StartLoopbackServerAsync();
        using var http = new HttpClient { BaseAddress = new Uri(loopback.Urls.First()) };
        using var disconnect = new CancellationTokenSource();
        using (var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, disconnect.Token))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(disconnect.Token));
            Assert.StartsWith("data: ", await reader.ReadLineAsync(disconnect.Token), StringComparison.Ordinal);
            await disconnect.CancelAsync();
        }

        await cancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _server.ResetLlm();
        var after = (await Chat.CompleteChatAsync([new UserChatMessage("hello")])).Value;
        Assert.NotEmpty(after.Content[0].Text);
    }

    private static async IAsyncEnumerable<Microsoft.Extensions.AI.ChatResponseUpdate> Endless(
        TaskCompletionSource cancelled, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        yield return new Microsoft.Extensions.AI.ChatResponseUpdate(Microsoft.Extensions.AI.ChatRole.Assistant, "tick ");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        finally
        {
            cancelled.TrySetResult();
        }
    }

    // ChatCompletion.Annotations is marked experimental (OPENAI001) in the OpenAI SDK.
#pragma warning disable OPENAI001
    [Fact]
    public async Task CompleteChat_TemplateWithSource_OpenAIClientReadsAUrlCitationThatOpensThePassage()
    {
        var completion = (await Chat.CompleteChatAsync([new UserChatMessage("how long does delivery take to Italy?")])).Value;

        var annotation = Assert.Single(completion.Annotations);
        Assert.Equal(0, annotation.StartIndex);
        Assert.Equal(completion.Content[0].Text.Length, annotation.EndIndex);
        Assert.Equal("/api/bots/shop/passages", annotation.WebResourceUri.AbsolutePath);
        Assert.Equal("?id=shipping.md", annotation.WebResourceUri.Query);
        Assert.False(string.IsNullOrEmpty(annotation.WebResourceTitle));
        var passage = await _server.Http.GetFromJsonAsync<JsonObject>(annotation.WebResourceUri.PathAndQuery);
        Assert.Equal("shipping.md", (string?)passage?["source"]);
    }
#pragma warning restore OPENAI001

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CompleteChat_LlmReplyCitingAPassage_AnnotatesTheMarkerWithTheCitedPassage(bool stream)
    {
        const string Reply = "No, wash it by hand and oil it now and then [1].";
        _server.Llm.GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, Reply)));
        _server.Llm.GetStreamingResponseAsyncCallback = (_, _, ct) => Parley.Testing.TestChatClient.Updates(["No, wash it by hand ", "and oil it now and then [1]."], cancellationToken: ct);

        var body = new JsonObject { ["model"] = "shop", ["messages"] = Messages("can a wooden chopping board go in the dishwasher?"), ["stream"] = stream };
        JsonNode message;
        JsonNode? parley;
        if (stream)
        {
            using var response = await _server.Http.PostAsJsonAsync("/v1/chat/completions", body);
            var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
            var last = JsonNode.Parse(events[^2]["data: ".Length..])!;
            message = last["choices"]![0]!["delta"]!;
            parley = last["parley"];
        }
        else
        {
            var json = await PostAsync(body);
            message = json["choices"]![0]!["message"]!;
            parley = json["parley"];
        }

        Assert.True((string?)parley?["route"] == "llm", parley?.ToJsonString());
        var annotation = Assert.Single(message["annotations"]!.AsArray())!;
        Assert.Equal("url_citation", (string?)annotation["type"]);
        var citation = annotation["url_citation"]!;
        Assert.Equal(Reply.IndexOf("[1]", StringComparison.Ordinal), (int)citation["start_index"]!);
        Assert.Equal(Reply.Length - 1, (int)citation["end_index"]!);
        var source = parley!["sources"]![0]!;
        Assert.Equal("product-care.md", (string?)source["source"]);
        Assert.EndsWith("/api/bots/shop/passages?id=" + Uri.EscapeDataString((string)source["id"]!), (string?)citation["url"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_MaxTokensCutsBeforeTheMarker_LeavesTheCitationOut()
    {
        _server.Llm.GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, "No, wash it by hand and oil it now and then [1].")));

        var json = await PostAsync(new JsonObject { ["model"] = "shop", ["messages"] = Messages("can a wooden chopping board go in the dishwasher?"), ["max_tokens"] = 3 });

        Assert.Equal("length", (string?)json["choices"]![0]!["finish_reason"]);
        Assert.Null(json["choices"]![0]!["message"]!["annotations"]);
    }

    private static JsonArray Messages(string text) => [new JsonObject { ["role"] = "user", ["content"] = text }];

    private async Task<JsonNode> PostAsync(JsonObject body)
    {
        using var response = await _server.Http.PostAsJsonAsync("/v1/chat/completions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}

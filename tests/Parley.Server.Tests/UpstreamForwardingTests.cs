using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using OpenAI.Chat;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary>
/// The upstream model behind a client built as <c>parley serve</c> builds it: JSON requests go to the upstream as the
/// client sent them and its answers come back as they are; Parley still checks the request, counts tokens and streams.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UpstreamForwardingTests(ServerFixture server) : IAsyncLifetime
{
    private const string Model = UpstreamGateway.Model;

    private UpstreamGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await UpstreamGateway.StartAsync(server, forwarding: true);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task PostChat_UpstreamModel_SendsTheClientsJsonAsItIsAndReturnsTheUpstreamsAnswerAsItIs()
    {
        using var http = _gateway.App.GetTestClient();
        var body = """
            {"model":"MODEL","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"hello there"}],
             "temperature":0.5,"logprobs":true,"top_logprobs":2,"n":1,"parallel_tool_calls":false,"some_future_field":{"a":[1,2]},
             "tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object","properties":{}}}}]}
            """.Replace("MODEL", Model, StringComparison.Ordinal);

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _gateway.Upstream.ChatRequests.Single();
        Assert.Equal(body, sent.Body);
        Assert.Equal("Bearer sk-upstream", sent.Header("Authorization"));
        var json = JsonNode.Parse(answer)!;
        // The upstream's own id (Parley's would be chatcmpl- and 32 hex digits), text and usage.
        Assert.StartsWith("chatcmpl-test-", (string?)json["id"], StringComparison.Ordinal);
        Assert.Equal("echo: hello there", (string?)json["choices"]![0]!["message"]!["content"]);
        Assert.Equal(4, (int)json["usage"]!["prompt_tokens"]!);
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Matches($"parley_server_tokens_input_total\\{{[^}}]*model=\"{Model}\"[^}}]*\\}} 4", metrics);
    }

    [Fact]
    public async Task PostChat_UpstreamModelWithAMalformedField_Returns400WithoutCallingTheUpstream()
    {
        using var http = _gateway.App.GetTestClient();
        var body = $$$"""{"model":"{{{Model}}}","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"yaml"}}""";

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("response_format.type", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]);
        Assert.Empty(_gateway.Upstream.ChatRequests);
    }

    [Fact]
    public async Task CompleteChat_OpenAISdk_GetsTheAnswerAndItsToolCalls()
    {
        _gateway.Upstream.Enqueue(ServerStep.ToolCall("lookup", """{"order":"A1"}"""));

        var completion = (await _gateway.Chat.CompleteChatAsync(
            [new UserChatMessage("where is A1?")],
            new ChatCompletionOptions { Tools = { ChatTool.CreateFunctionTool("lookup", "Finds an order.", BinaryData.FromString("""{"type":"object","properties":{"order":{"type":"string"}}}""")) } })).Value;

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("lookup", call.FunctionName);
        Assert.Equal("A1", (string?)JsonNode.Parse(call.FunctionArguments.ToString())!["order"]);
    }

    [Fact]
    public async Task CompleteChatStreaming_UpstreamModel_StillStreamsChunkByChunk()
    {
        _gateway.Upstream.Enqueue(ServerStep.Reply("one two three"));
        var text = new StringBuilder();
        var updates = 0;

        await foreach (var update in _gateway.Chat.CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
            updates++;
        }

        Assert.Equal("one two three", text.ToString().Trim());
        Assert.True(updates > 3, $"{updates} updates");
        Assert.True((bool)_gateway.Upstream.ChatRequests.Single().Json!["stream"]!);
    }
}

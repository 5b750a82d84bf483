using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using OpenAI.Chat;
using Parley.OpenAI;
using Parley.Testing;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ResponseFormatTests(ServerFixture server) : IAsyncLifetime
{
    private const string Model = UpstreamGateway.Model;
    private const string PersonSchema = """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}""";

    private UpstreamGateway _gateway = null!;

    private ChatClient Chat => _gateway.Chat;

    public async Task InitializeAsync() => _gateway = await UpstreamGateway.StartAsync(server);

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task CompleteChat_JsonSchema_SentUpstreamWithNameSchemaAndStrict()
    {
        var format = ChatResponseFormat.CreateJsonSchemaFormat("person", BinaryData.FromString(PersonSchema), "A person.", jsonSchemaIsStrict: true);

        await Chat.CompleteChatAsync([new UserChatMessage("who?")], new ChatCompletionOptions { ResponseFormat = format });

        var sent = _gateway.Upstream.ChatRequests.Single().Json!["response_format"]!;
        Assert.Equal("json_schema", (string?)sent["type"]);
        Assert.Equal("person", (string?)sent["json_schema"]!["name"]);
        Assert.Equal("A person.", (string?)sent["json_schema"]!["description"]);
        Assert.True((bool)sent["json_schema"]!["strict"]!);
        Assert.Equal("string", (string?)sent["json_schema"]!["schema"]!["properties"]!["name"]!["type"]);
        Assert.Equal("name", (string?)sent["json_schema"]!["schema"]!["required"]![0]);
    }

    [Fact]
    public async Task CompleteChatStreaming_JsonObject_SentUpstream()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() };

        await foreach (var _ in Chat.CompleteChatStreamingAsync([new UserChatMessage("json please")], options))
        {
        }

        Assert.Equal("json_object", (string?)_gateway.Upstream.ChatRequests.Single().Json!["response_format"]!["type"]);
    }

    [Fact]
    public async Task CompleteChat_SamplingFieldsAndUnknownFields_ReachUpstream()
    {
        using var http = _gateway.App.GetTestClient();
        var body = $$"""
            {"model":"{{Model}}","messages":[{"role":"user","content":"hi"}],"temperature":0.5,"top_p":0.75,"stop":["END","STOP"],
             "seed":1234,"user":"user-77","response_format":{"type":"text"},"logit_bias":{"50256":-100},"metadata":{"a":"b"},"some_future_field":[1,2]}
            """;

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _gateway.Upstream.ChatRequests.Single().Json!;
        Assert.Equal(0.5, (double)sent["temperature"]!, 3);
        Assert.Equal(0.75, (double)sent["top_p"]!, 3);
        Assert.Equal(["END", "STOP"], sent["stop"]!.AsArray().Select(s => (string?)s));
        Assert.Equal(1234, (long)sent["seed"]!);
        Assert.Equal("user-77", (string?)sent["user"]);
        Assert.Equal("text", (string?)sent["response_format"]!["type"]);
    }

    [Theory]
    [InlineData("\"json\"", "response_format")]
    [InlineData("{}", "response_format")]
    [InlineData("{\"type\":\"yaml\"}", "response_format.type")]
    [InlineData("{\"type\":\"json_schema\"}", "response_format.json_schema")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}", "response_format.json_schema.name")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"has space\",\"schema\":{}}}", "response_format.json_schema.name")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":\"object\"}}", "response_format.json_schema.schema")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":{},\"strict\":\"yes\"}}", "response_format.json_schema.strict")]
    public async Task PostChat_MalformedResponseFormat_Returns400NamingIt(string format, string param)
    {
        var (status, error) = await PostAsync(Model, $"\"response_format\":{format}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, (string?)error["param"]);
        Assert.Empty(_gateway.Upstream.ChatRequests);
    }

    [Theory]
    [InlineData("{\"type\":\"json_object\"}", "json_object")]
    [InlineData("{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"p\",\"schema\":{\"type\":\"object\"}}}", "json_schema")]
    public async Task PostChat_BotWithJsonFormat_Returns400Unsupported(string format, string kind)
    {
        var (status, error) = await PostAsync(server.BotModel, $"\"response_format\":{format}");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("response_format", (string?)error["param"]);
        Assert.Contains($"'{server.BotModel}' does not support response_format '{kind}'", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_BotWithTextFormat_Answers()
    {
        server.ResetLlm();
        var chat = ServerFixture.CreateClient(_gateway.App, "unused").GetChatClient(server.BotModel);

        var completion = (await chat.CompleteChatAsync([new UserChatMessage("hello")], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateTextFormat() })).Value;

        Assert.False(string.IsNullOrEmpty(completion.Content[0].Text));
    }

    private async Task<(HttpStatusCode Status, JsonNode Error)> PostAsync(string model, string extra)
    {
        using var http = _gateway.App.GetTestClient();
        var body = $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"hi\"}}],{extra}}}";
        using var response = await http.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }
}

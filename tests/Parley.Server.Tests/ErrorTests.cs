using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI.Chat;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class ErrorTests(ServerFixture server)
{
    [Theory]
    [InlineData("{\"model\":\"shop\",\"messages\":[", "invalid_json", null)]
    [InlineData("[1,2]", "invalid_json", null)]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "invalid_value", "model")]
    [InlineData("{\"model\":\"shop\",\"messages\":[]}", "invalid_value", "messages")]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "invalid_value", "messages[0].role")]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", "invalid_value", "temperature")]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", "invalid_value", "max_tokens")]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":2}", "invalid_value", "n")]
    [InlineData("{\"model\":\"all-MiniLM-L6-v2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "invalid_value", "model")]
    [InlineData("{\"model\":\"shop\",\"model\":\"other\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "invalid_json", null)]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\",\"content\":\"ho\"}]}", "invalid_json", null)]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"a\\ud800b\"}]}", "invalid_json", null)]
    [InlineData("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"tool\",\"content\":\"42\"}]}", "invalid_value", "messages[1].tool_call_id")]
    public async Task PostChat_InvalidRequest_Returns400InOpenAIShape(string body, string code, string? param)
    {
        var (status, error) = await PostAsync("/v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal(param, (string?)error["param"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]));
    }

    [Fact]
    public async Task PostChat_UnknownModel_Returns404()
    {
        var (status, error) = await PostAsync("/v1/chat/completions", "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("model_not_found", (string?)error["code"]);
        Assert.Equal("model", (string?)error["param"]);
    }

    [Fact]
    public async Task PostChat_BodyOverLimit_Returns413()
    {
        var text = new string('a', (int)ServerFixture.MaxBodyBytes);
        var (status, error) = await PostAsync("/v1/chat/completions", $"{{\"model\":\"shop\",\"messages\":[{{\"role\":\"user\",\"content\":\"{text}\"}}]}}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("request_too_large", (string?)error["code"]);
    }

    [Fact]
    public async Task CompleteChat_WrongApiKey_Returns401()
    {
        var client = server.CreateClient("sk-wrong").GetChatClient("shop");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hello")]));

        Assert.Equal(401, error.Status);
    }

    [Fact]
    public async Task GetModels_NoApiKey_Returns401InOpenAIShape()
    {
        using var request = WithoutAuth(new HttpRequestMessage(HttpMethod.Get, "/v1/models"));

        using var response = await server.Http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("authentication_error", (string?)error["type"]);
        Assert.Equal("invalid_api_key", (string?)error["code"]);
    }

    [Fact]
    public async Task GetHealthz_NoApiKey_IsOpen()
    {
        using var request = WithoutAuth(new HttpRequestMessage(HttpMethod.Get, "/healthz"));

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostChat_InvalidUtf8Bytes_Returns400InvalidJson()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"shop\",\"messages\":[{\"role\":\"user\",\"content\":\"hi X\"}]}");
        body[Array.IndexOf(body, (byte)'X')] = 0xFF;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await server.Http.PostAsync("/v1/chat/completions", content);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_json", (string?)error["code"]);
        Assert.Contains("UTF-8", (string?)error["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/nothing-here", HttpStatusCode.NotFound, "unknown_url")]
    [InlineData("POST", "/v2/chat/completions", HttpStatusCode.NotFound, "unknown_url")]
    [InlineData("DELETE", "/v1/chat/completions", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    [InlineData("PUT", "/v1/models", HttpStatusCode.MethodNotAllowed, "method_not_allowed")]
    public async Task Send_UnknownRouteOrWrongMethod_AnswersInOpenAIShape(string method, string path, HttpStatusCode expected, string code)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        using var response = await server.Http.SendAsync(request);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains(path, (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upload_MultipartWithoutClosingBoundary_Returns400()
    {
        const string boundary = "b0undary";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nfine-tune\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.jsonl\"\r\n\r\n{{\"text\":\"hi\",\"label\":\"greet\"}}\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        using var response = await server.Http.PostAsync("/v1/files", content);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_multipart", (string?)error["code"]);
    }

    private static HttpRequestMessage WithoutAuth(HttpRequestMessage request)
    {
        // An explicit non-Bearer Authorization header replaces the client's default Bearer key.
        request.Headers.Authorization = new AuthenticationHeaderValue("None");
        return request;
    }

    private async Task<(HttpStatusCode Status, JsonNode Error)> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await server.Http.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)?["error"] ?? throw new Xunit.Sdk.XunitException($"not an OpenAI error: {text}"));
    }
}

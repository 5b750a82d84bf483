using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Parley.Bots;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Testing;

namespace Parley.Server.Tests;

/// <summary><c>/mcp/BOT</c>: a served bot's tools over MCP Streamable HTTP, behind the API key; and a bot that uses them over HTTP.</summary>
[Collection(ServerCollection.Name)]
public sealed class McpEndpointTests(ServerFixture server) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-mcp-http-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private Task<McpClient> ConnectAsync(string? bot = "shop", string key = ServerFixture.ApiKey) =>
        McpClient.CreateAsync(new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri(server.Http.BaseAddress!, bot is null ? "/mcp" : $"/mcp/{bot}"),
            TransportMode = HttpTransportMode.StreamableHttp,
            AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = $"Bearer {key}" },
        }, server.Http, ownsHttpClient: false));

    [Fact]
    public async Task Mcp_ShopBot_ListsAndRunsItsOrderStatusTool()
    {
        await using var client = await ConnectAsync();

        var tools = await client.ListToolsAsync();
        var found = await client.CallToolAsync("order_status", new Dictionary<string, object?> { ["orderId"] = "10023" });
        var missing = await client.CallToolAsync("order_status", new Dictionary<string, object?> { ["orderId"] = "99999" });

        var tool = Assert.Single(tools);
        Assert.Equal("order_status", tool.Name);
        Assert.True(tool.ProtocolTool.Annotations?.ReadOnlyHint);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(found.Content)).Text;
        Assert.Contains("shipped", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("99999", Assert.IsType<TextContentBlock>(Assert.Single(missing.Content)).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mcp_Root_AsksEachBotInASessionAndSearchesItsKnowledge()
    {
        await using var client = await ConnectAsync(bot: null);
        var session = "mcp-" + Guid.NewGuid().ToString("N");

        var tools = await client.ListToolsAsync();
        var answer = await client.CallToolAsync("ask_shop", new Dictionary<string, object?> { ["message"] = "how long does shipping take?", ["session"] = session });
        var found = await client.CallToolAsync("search_shop_knowledge", new Dictionary<string, object?> { ["query"] = "how many days do I have to return an item?" });
        var stored = await server.Http.GetFromJsonAsync<JsonNode>($"/api/sessions/{session}");

        Assert.Equal(["ask_shop", "search_shop_knowledge"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Contains("business days", Assert.IsType<TextContentBlock>(Assert.Single(answer.Content)).Text, StringComparison.Ordinal);
        Assert.Contains("source: returns", Assert.IsType<TextContentBlock>(Assert.Single(found.Content)).Text, StringComparison.Ordinal);
        Assert.Equal(2, stored!["messages"]!.AsArray().Count);
    }

    [Fact]
    public async Task Mcp_WithoutApiKey_Returns401AndUnknownBotReturns404()
    {
        using var anonymous = new HttpRequestMessage(HttpMethod.Post, "/mcp/shop") { Content = JsonContent.Create(Initialize()) };
        anonymous.Headers.Authorization = null;
        anonymous.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var unauthorized = await SendWithoutDefaultKeyAsync(anonymous);

        using var unknown = new HttpRequestMessage(HttpMethod.Post, "/mcp/nobot") { Content = JsonContent.Create(Initialize()) };
        unknown.Headers.Accept.ParseAdd("application/json, text/event-stream");
        using var notFound = await server.Http.SendAsync(unknown);

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
        var error = JsonNode.Parse(await notFound.Content.ReadAsStringAsync())!["error"]!;
        Assert.Contains("no bot 'nobot'", (string?)error["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bot_WithAnHttpMcpServer_OffersItsToolToTheLlmAndRunsItWithoutApproval()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "bot.yaml"), $"""
            name: concierge
            mcp_servers:
              - name: shop
                url: {new Uri(server.Http.BaseAddress!, "/mcp/shop")}
                headers:
                  Authorization: Bearer {ServerFixture.ApiKey}
            """);
        var llm = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                var last = messages.Last();
                var reply = last.Role == ChatRole.User
                    ? new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "order_status", new Dictionary<string, object?> { ["orderId"] = "10023" })])
                    : new ChatMessage(ChatRole.Assistant, $"Offered: {string.Join(",", options!.Tools!.Select(t => t.Name))}. Result: {last.Contents.OfType<FunctionResultContent>().Single().Result}");
                return Task.FromResult(new ChatResponse(reply));
            },
        };
        await using var bot = await Bot.CreateAsync(await BotPackLoader.LoadAsync(_folder), ServerFixture.SharedEncoder, llm, new BotBuildOptions
        {
            Tools = new BotToolServices { Http = server.Http },
        });

        var response = await bot.ChatClient.GetResponseAsync([new ChatMessage(ChatRole.User, "where is my order 10023?")], new ChatOptions());

        Assert.StartsWith("Offered: order_status. Result: ", response.Text, StringComparison.Ordinal);
        Assert.Contains("shipped", response.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("order_status", Assert.Single(BotReplyInfo.From(response.AdditionalProperties).ToolCalls!).Name);
    }

    private async Task<HttpResponseMessage> SendWithoutDefaultKeyAsync(HttpRequestMessage request)
    {
        var saved = server.Http.DefaultRequestHeaders.Authorization;
        server.Http.DefaultRequestHeaders.Authorization = null;
        try
        {
            return await server.Http.SendAsync(request);
        }
        finally
        {
            server.Http.DefaultRequestHeaders.Authorization = saved;
        }
    }

    private static JsonObject Initialize() => new()
    {
        ["jsonrpc"] = "2.0",
        ["id"] = 1,
        ["method"] = "initialize",
        ["params"] = new JsonObject
        {
            ["protocolVersion"] = "2025-06-18",
            ["capabilities"] = new JsonObject(),
            ["clientInfo"] = new JsonObject { ["name"] = "test", ["version"] = "1" },
        },
    };
}

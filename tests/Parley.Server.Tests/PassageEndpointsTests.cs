using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class PassageEndpointsTests(ServerFixture server)
{
    [Fact]
    public async Task GetPassage_CitedSource_ReturnsItsText()
    {
        var completion = await server.Http.PostAsJsonAsync("/v1/chat/completions", new JsonObject
        {
            ["model"] = "shop",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "can I pay with PayPal?" }),
        });
        var source = (await completion.Content.ReadFromJsonAsync<JsonNode>())!["parley"]!["sources"]![0]!;

        var passage = await server.Http.GetFromJsonAsync<JsonNode>($"/api/bots/shop/passages?id={Uri.EscapeDataString((string)source["id"]!)}");

        Assert.Equal((string?)source["source"], (string?)passage!["source"]);
        Assert.Contains("PayPal", (string?)passage["text"]);
    }

    [Theory]
    [InlineData("/api/bots/shop/passages?id=nope.md%23x")]
    [InlineData("/api/bots/nobot/passages?id=payments.md")]
    public async Task GetPassage_Unknown_Is404(string path)
    {
        using var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

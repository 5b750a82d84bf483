using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Parley.Nlu.Embeddings;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class EmbeddingEndpointsTests(ServerFixture server)
{
    [Fact]
    public async Task GenerateEmbeddings_ArrayInput_ReturnsOneNormalisedVectorPerInput()
    {
        var client = server.OpenAI.GetEmbeddingClient("all-MiniLM-L6-v2");

        var embeddings = (await client.GenerateEmbeddingsAsync(["where is my order", "how do I return a kettle"])).Value;

        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(384, e.ToFloats().Length));
        Assert.NotEqual(embeddings[0].ToFloats().ToArray(), embeddings[1].ToFloats().ToArray());
        Assert.True(embeddings.Usage.InputTokenCount > 0);
    }

    [Fact]
    public async Task PostEmbeddings_FloatAndBase64_DecodeToTheSameVector()
    {
        var asFloats = await PostAsync(new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = "hello", ["encoding_format"] = "float" });
        var asBase64 = await PostAsync(new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = "hello", ["encoding_format"] = "base64" });

        var floats = asFloats["data"]![0]!["embedding"]!.AsArray().Select(v => (float)v!).ToArray();
        var decoded = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Convert.FromBase64String((string)asBase64["data"]![0]!["embedding"]!)).ToArray();
        Assert.Equal(384, floats.Length);
        Assert.Equal(floats, decoded);
    }

    [Fact]
    public async Task PostEmbeddings_BotModel_Returns404()
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "shop", ["input"] = "hi" });

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task PostEmbeddings_CachedEncoder_ClientTextsAreNotWrittenToTheCache()
    {
        var folder = Path.Combine(Path.GetTempPath(), "parley-embeddings-cache-" + Guid.NewGuid().ToString("N"));
        try
        {
            var cached = new EmbeddingGeneratorBuilder<string, Embedding<float>>(ServerFixture.SharedEncoder)
                .UseDiskCache(folder)
                .Build();
            await using var app = await server.StartServerAsync(_ => { }, b => b.Services.AddSingleton(cached));
            using var http = app.GetTestClient();

            using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject
            {
                ["model"] = "all-MiniLM-L6-v2",
                ["input"] = new JsonArray("a client's first private sentence", "and a second one"),
            });

            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var cache = cached.GetService<CachingEmbeddingGenerator>()!;
            Assert.False(cache.Cache.TryGet("a client's first private sentence", out _));
            var files = Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];
            Assert.All(files, f => Assert.DoesNotContain("private sentence", File.ReadAllText(f), StringComparison.Ordinal));
            Assert.Equal(0, cache.Cache.Count);
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    [Theory]
    [InlineData(256)]
    [InlineData("384")]
    public async Task PostEmbeddings_Dimensions_Returns400NamingIt(object dimensions)
    {
        var body = new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = "hello", ["dimensions"] = JsonValue.Create(dimensions) };

        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", body);
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("dimensions", (string?)error["param"]);
    }

    [Fact]
    public async Task PostEmbeddings_NativeDimensions_Accepted()
    {
        var body = new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = "hello", ["dimensions"] = 384 };

        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", body);

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task PostEmbeddings_OverTheWorkCap_Returns400NamingTheLimit()
    {
        await using var app = await server.StartServerAsync(_ => { });
        using var http = app.GetTestClient();
        var input = new JsonArray([.. Enumerable.Range(0, 130).Select(_ => (JsonNode?)string.Join(' ', Enumerable.Repeat("a", 300)))]);

        using var response = await http.PostAsJsonAsync("/v1/embeddings", new JsonObject { ["model"] = "all-MiniLM-L6-v2", ["input"] = input });
        var error = (await response.Content.ReadFromJsonAsync<JsonNode>())!["error"]!;

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", (string?)error["param"]);
        Assert.Equal("too_many_tokens", (string?)error["code"]);
        Assert.Contains("32768", (string?)error["message"], StringComparison.Ordinal);
    }

    private async Task<JsonNode> PostAsync(JsonObject body)
    {
        using var response = await server.Http.PostAsJsonAsync("/v1/embeddings", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }
}

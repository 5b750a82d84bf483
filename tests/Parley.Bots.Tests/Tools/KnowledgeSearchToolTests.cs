using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Tools.Mcp;
using Parley.Nlu.Embeddings;

namespace Parley.Bots.Tests.Tools;

/// <summary><c>knowledge_search</c>: the bot's knowledge as a tool, for the LLM and for MCP clients.</summary>
public sealed class KnowledgeSearchToolTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-knowledge-tool-").FullName;
    private readonly MiniLmEmbeddingGenerator _embeddings = new();
    private Bot _bot = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(Path.Combine(_folder, "bot.yaml"), "name: docs\ntools: [knowledge_search]\n");
        Directory.CreateDirectory(Path.Combine(_folder, "knowledge"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "knowledge", "returns.md"), """
            # Returns

            You can return any item within 30 days of delivery for a full refund, as long as it is unused and in its original packaging.
            Used cookware can only be returned if it is faulty.

            # Shipping

            Orders ship within two working days. Delivery in Germany takes one to three days.
            """);
        _bot = await Bot.CreateAsync(await BotPackLoader.LoadAsync(_folder), _embeddings, options: new BotBuildOptions { KnowledgeIndexesFolder = Path.Combine(_folder, "indexes") });
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        _embeddings.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task KnowledgeSearch_Question_ReturnsTheBestPassageWithItsSourceFirst()
    {
        var search = _bot.Toolbox!.For(null)["knowledge_search"];

        var result = (await search.InvokeAsync(new AIFunctionArguments { ["query"] = "can I return a used pan?", ["top"] = 2 }))?.ToString();

        Assert.NotNull(result);
        Assert.StartsWith("[1] Returns (source: returns.md", result, StringComparison.Ordinal);
        Assert.Contains("Used cookware can only be returned if it is faulty.", result, StringComparison.Ordinal);
        Assert.DoesNotContain("[3]", result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KnowledgeSearch_TopOutOfRange_IsAnErrorResultNotAnException()
    {
        var search = _bot.Toolbox!.For(null)["knowledge_search"];

        var result = (await search.InvokeAsync(new AIFunctionArguments { ["query"] = "returns", ["top"] = 50 }))?.ToString();

        Assert.StartsWith("Error: top must be between 1 and 8", result, StringComparison.Ordinal);
    }

    [Fact]
    public void McpServerTools_KnowledgeSearch_IsOfferedAsReadOnly()
    {
        var tool = Assert.Single(BotMcpServerTools.Create(_bot));

        Assert.Equal("knowledge_search", tool.ProtocolTool.Name);
        Assert.True(tool.ProtocolTool.Annotations?.ReadOnlyHint);
    }
}

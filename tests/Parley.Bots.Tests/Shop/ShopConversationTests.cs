using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Bots.Tests.Shop;

/// <summary>A scripted offline conversation with the shop sample: templates, knowledge and order status (a tool with a slot).</summary>
public sealed class ShopConversationTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-shop-").FullName;
    private readonly MiniLmEmbeddingGenerator _embeddings = new();
    private SqliteConversationStore _store = null!;
    private Bot _bot = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteConversationStore(new SqliteConversationStoreOptions { Path = Path.Combine(_folder, "parley.db") });
        _bot = await Bot.CreateAsync(await BotPackLoader.LoadAsync(TestPaths.ShopBot), _embeddings);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        _embeddings.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<(string Reply, BotReplyInfo Info)> AskAsync(string text, bool streaming = false)
    {
        var chat = await ChatSession.OpenAsync(_bot.ChatClient, _store, _bot.Name, "s_shop", _bot.SystemPrompt);
        var options = new ChatOptions().ForSession("s_shop");
        var response = streaming
            ? await chat.SendStreamingAsync(text, options).ToChatResponseAsync()
            : await chat.SendAsync(text, options);
        return (response.Text, BotReplyInfo.From(response.AdditionalProperties));
    }

    [Fact]
    public async Task Conversation_OrderStatusBetweenTemplatesAndKnowledge()
    {
        var (reply, info) = await AskAsync("hi");
        Assert.Equal(("template", "greeting"), (info.Route, info.Intent?.Name));

        (reply, info) = await AskAsync("where is my package? order 10023");
        Assert.Equal(("tool", "order_status"), (info.Route, info.Intent?.Name));
        Assert.Equal("Order 10023 (Cast-iron skillet 26 cm) has shipped with DHL, tracking number JD014600003828; expected delivery Friday 4 December.", reply);
        var call = Assert.Single(info.ToolCalls!);
        Assert.Equal(("order_status", "10023", (bool?)null), (call.Name, call.Arguments["orderId"]?.ToString(), call.Approved));

        (reply, info) = await AskAsync("where is my order");
        Assert.Equal(("tool", "order_status"), (info.Route, info.Intent?.Name));
        Assert.StartsWith("I can look that up. What is your order number?", reply);
        Assert.Empty(info.ToolCalls ?? []);

        (reply, info) = await AskAsync("it's 10025", streaming: true);
        Assert.Equal("tool", info.Route);
        Assert.Equal("Order 10025 (Chef's knife 20 cm) is being prepared and has not shipped yet; expected delivery Monday 7 December.", reply);

        (reply, _) = await AskAsync("has my order shipped yet");
        Assert.StartsWith("I can look that up.", reply);
        (reply, info) = await AskAsync("cancel");
        Assert.Equal(("tool", "OK, I've stopped. Nothing was changed."), (info.Route, reply));

        (reply, _) = await AskAsync("where is my parcel");
        Assert.StartsWith("I can look that up.", reply);
        (reply, info) = await AskAsync("NW-20481736");
        Assert.Equal("Order 20481736 (Dutch oven 5 l) has shipped with UPS, tracking number 1Z999AA10123456784; expected delivery Saturday 5 December.", reply);

        (reply, info) = await AskAsync("where is my order 99999?");
        Assert.Equal("I can't find order 99999. Please check the number in your order confirmation email.", reply);
        Assert.Equal("order_status", info.ToolCalls![0].Name);

        (reply, info) = await AskAsync("how long does shipping take");
        Assert.Equal(("template", "shipping_times"), (info.Route, info.Intent?.Name));
        Assert.Empty(info.ToolCalls ?? []);

        (reply, info) = await AskAsync("can I pay with PayPal?");
        Assert.Equal("template", info.Route);
        Assert.Contains("PayPal", reply);

        (reply, info) = await AskAsync("thanks");
        Assert.Equal(("template", "thanks"), (info.Route, info.Intent?.Name));
    }
}

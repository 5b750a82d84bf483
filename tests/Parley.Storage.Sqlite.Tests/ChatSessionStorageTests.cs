using Microsoft.Extensions.AI;
using Parley.Core.Conversations;
using Parley.Testing;

namespace Parley.Storage.Sqlite.Tests;

/// <summary>A chat session over the SQLite store: what reaches the user is on disk, whatever happens to the stream.</summary>
public sealed class ChatSessionStorageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("parley-session-").FullName;

    private string Database => Path.Combine(_dir, "parley.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task SendStreamingAsync_StreamCutMidway_IsOnDiskAsIncompleteAfterRestart()
    {
        var client = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => TestChatClient.Updates(["Our returns ", "window is "], new HttpRequestException("connection reset"), ct),
        };
        string id;
        using (var store = new SqliteConversationStore(new SqliteConversationStoreOptions { Path = Database }))
        {
            var session = await ChatSession.OpenAsync(client, store, "shop");
            id = session.Id;
            await Assert.ThrowsAsync<HttpRequestException>(async () =>
            {
                await foreach (var _ in session.SendStreamingAsync("how long do I have to return?"))
                {
                }
            });
        }

        using var reopened = new SqliteConversationStore(new SqliteConversationStoreOptions { Path = Database });
        var resumed = await ChatSession.OpenAsync(new TestChatClient(), reopened, "shop", id);

        var messages = resumed.Conversation.Messages;
        Assert.Equal(2, messages.Count);
        Assert.Equal("how long do I have to return?", messages[0].Message.Text);
        Assert.False(messages[0].Incomplete);
        Assert.Equal("Our returns window is ", messages[1].Message.Text);
        Assert.True(messages[1].Incomplete);
    }

    [Fact]
    public async Task SendAsync_ToolCallTurn_RoundTripsThroughTheStore()
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(
            [
                new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "weather", new Dictionary<string, object?> { ["city"] = "Oslo" })]),
                new ChatMessage(ChatRole.Tool, [new FunctionResultContent("c1", "4°C, rain")]),
                new ChatMessage(ChatRole.Assistant, "It is 4°C and raining in Oslo."),
            ])),
        };
        using var store = new SqliteConversationStore(new SqliteConversationStoreOptions { Path = Database });
        var session = await ChatSession.OpenAsync(client, store, "assistant");

        await session.SendAsync("weather in Oslo?");

        var stored = (await store.GetAsync(session.Id))!.Messages;
        Assert.Equal(4, stored.Count);
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(stored[1].Message.Contents));
        Assert.Equal("weather", call.Name);
        Assert.Equal("c1", Assert.IsType<FunctionResultContent>(Assert.Single(stored[2].Message.Contents)).CallId);
    }
}

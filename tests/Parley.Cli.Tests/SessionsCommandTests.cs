using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Parley.Cli.Tests;

public sealed class SessionsCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Ask_WithoutSession_StoresNothing()
    {
        var answer = (await _cli.RunAsync(["ask", "--json", "hi"])).Json();
        var list = await _cli.RunAsync(["sessions", "list", "--json"]);

        Assert.Equal(JsonValueKind.Null, answer.GetProperty("session").ValueKind);
        Assert.Equal(0, JsonDocument.Parse(list.Output).RootElement.GetArrayLength());
    }

    [Fact]
    public async Task Ask_StoreSessionsSetting_StoresEachQuestion()
    {
        _cli.Environment["Parley__Ask__StoreSessions"] = "true";

        var answer = (await _cli.RunAsync(["ask", "--json", "hi"])).Json();
        var list = await _cli.RunAsync(["sessions", "list", "--json"]);

        var id = answer.GetProperty("session").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal(id, JsonDocument.Parse(list.Output).RootElement[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Prune_OlderThan_DeletesOnlyOldSessions()
    {
        await _cli.RunAsync(["ask", "--session", "old", "hi"]);
        await _cli.RunAsync(["ask", "--session", "new", "hi"]);
        using (var connection = new SqliteConnection($"Data Source={_cli.Database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE conversations SET updated = '2020-01-01T00:00:00.0000000Z' WHERE id = 'old';";
            command.ExecuteNonQuery();
        }

        var prune = await _cli.RunAsync(["sessions", "prune", "--older-than", "30d", "--json"]);
        var list = await _cli.RunAsync(["sessions", "list", "--json"]);

        prune.AssertSucceeded();
        Assert.Equal(1, JsonDocument.Parse(prune.Output).RootElement.GetProperty("deleted").GetInt32());
        Assert.Equal(["new"], JsonDocument.Parse(list.Output).RootElement.EnumerateArray().Select(s => s.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task Show_SessionWithEvents_PrintsEachAfterItsMessageAndInJson()
    {
        await _cli.RunAsync(["ask", "--session", "s1", "hi"]);
        using (var store = new Parley.Storage.Sqlite.SqliteConversationStore(new() { Path = _cli.Database }))
        {
            await store.AppendAsync("s1", [], [new Parley.Core.Conversations.ConversationEvent("handoff", DateTimeOffset.UtcNow, "asked for a person", new Dictionary<string, string> { ["reason"] = "request" })]);
        }

        SqliteConnection.ClearAllPools();
        var text = await _cli.RunAsync(["sessions", "show", "s1"]);
        var json = JsonDocument.Parse((await _cli.RunAsync(["sessions", "show", "s1", "--json"])).Output).RootElement;

        text.AssertSucceeded();
        var lines = text.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.EndsWith("2 messages · 1 events", lines[0]);
        Assert.Equal("· handoff: asked for a person (reason=request)", lines[^1]);
        var handoff = json.GetProperty("events")[0];
        Assert.Equal("handoff", handoff.GetProperty("kind").GetString());
        Assert.Equal(2, handoff.GetProperty("after_messages").GetInt32());
    }

    [Fact]
    public async Task Ask_Json_HasAnEmptyEventsListWhenNothingHappened()
    {
        var answer = (await _cli.RunAsync(["ask", "--json", "hi"])).Json();

        Assert.Equal(0, answer.GetProperty("events").GetArrayLength());
    }

    [Theory]
    [InlineData("30")]
    [InlineData("-1d")]
    [InlineData("soon")]
    public async Task Prune_BadDuration_IsAUsageError(string duration)
    {
        var result = await _cli.RunAsync(["sessions", "prune", "--older-than", duration]);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("--older-than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsTheVersion()
    {
        var result = await _cli.RunAsync(["--version"]);

        result.AssertSucceeded();
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Output.Trim());
    }
}

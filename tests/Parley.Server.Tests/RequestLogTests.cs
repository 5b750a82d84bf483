using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI.Chat;

namespace Parley.Server.Tests;

[Collection(ServerCollection.Name)]
public sealed class RequestLogTests(ServerFixture server)
{
    [Fact]
    public async Task CompleteChat_Always_LogsRouteStatusModelAndSessionWithoutContentOrKey()
    {
        server.ResetLlm();
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(
            o => o.ApiKeys.Add("sk-secret-key"),
            b => b.Services.AddSingleton<ILoggerProvider>(logs));
        var chat = ServerFixture.CreateClient(app, "sk-secret-key").GetChatClient(server.BotModel);

        await chat.CompleteChatAsync([new UserChatMessage("zqx vlorp private words")]);

        var (_, message, state) = Assert.Single(logs.Entries, e => e.Category.EndsWith("RequestLogMiddleware", StringComparison.Ordinal));
        var fields = state.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("/v1/chat/completions", fields["Route"]);
        Assert.Equal(200, fields["Status"]);
        Assert.Equal("shop", fields["Model"]);
        Assert.False(string.IsNullOrEmpty(fields["SessionId"] as string));
        Assert.True((double)fields["DurationMs"]! >= 0);
        Assert.All(logs.Entries, e =>
        {
            Assert.DoesNotContain("vlorp", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-secret-key", e.Message, StringComparison.Ordinal);
        });
        Assert.Contains("POST /v1/chat/completions answered 200", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetModels_WrongKey_LogsStatus401()
    {
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(
            o => o.ApiKeys.Add("sk-secret-key"),
            b => b.Services.AddSingleton<ILoggerProvider>(logs));
        using var http = app.GetTestClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", "sk-wrong-guess");

        await http.GetAsync("/v1/models");

        var (_, message, _) = Assert.Single(logs.Entries, e => e.Category.EndsWith("RequestLogMiddleware", StringComparison.Ordinal));
        Assert.Contains("answered 401", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-wrong-guess", message, StringComparison.Ordinal);
    }
}

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
    public async Task CompleteChat_LogContentOn_LogsPromptAndReplyButNotKey()
    {
        server.ResetLlm();
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(
            o =>
            {
                o.ApiKeys.Add("sk-secret-key");
                o.LogContent = true;
            },
            b => b.Services.AddSingleton<ILoggerProvider>(logs));
        var chat = ServerFixture.CreateClient(app, "sk-secret-key").GetChatClient(server.BotModel);

        var reply = (await chat.CompleteChatAsync([new UserChatMessage("zqx vlorp private words")])).Value.Content[0].Text;

        var content = logs.Entries.Where(e => e.Category.EndsWith("ContentLog", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, content.Count);
        Assert.Contains("user: zqx vlorp private words", content[0].Message, StringComparison.Ordinal);
        Assert.Contains(reply, content[1].Message, StringComparison.Ordinal);
        Assert.Equal("shop", content[1].State.Single(p => p.Key == "Model").Value);
        Assert.All(logs.Entries, e => Assert.DoesNotContain("sk-secret-key", e.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CompleteChatStreaming_LogContent_LogsReplyOnlyWhenOn(bool logContent)
    {
        server.ResetLlm();
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(o => o.LogContent = logContent, b => b.Services.AddSingleton<ILoggerProvider>(logs));
        var chat = ServerFixture.CreateClient(app, "unused").GetChatClient(server.BotModel);
        var reply = new System.Text.StringBuilder();

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("zqx vlorp streamed words")]))
        {
            reply.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        var content = logs.Entries.Where(e => e.Category.EndsWith("ContentLog", StringComparison.Ordinal)).Select(e => e.Message).ToList();
        if (logContent)
        {
            Assert.Equal(2, content.Count);
            Assert.Contains("vlorp", content[0], StringComparison.Ordinal);
            Assert.Contains(reply.ToString(), content[1], StringComparison.Ordinal);
        }
        else
        {
            Assert.Empty(content);
            Assert.All(logs.Entries, e => Assert.DoesNotContain("vlorp", e.Message, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task CompleteChat_LogContentLongPrompt_CutsIt()
    {
        server.ResetLlm();
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(o => o.LogContent = true, b => b.Services.AddSingleton<ILoggerProvider>(logs));
        var chat = ServerFixture.CreateClient(app, "unused").GetChatClient(server.BotModel);

        await chat.CompleteChatAsync([new UserChatMessage(string.Concat(Enumerable.Repeat("blah ", 2000)))]);

        var prompt = logs.Entries.First(e => e.Category.EndsWith("ContentLog", StringComparison.Ordinal)).Message;
        Assert.InRange(prompt.Length, 2000, 2200);
        Assert.Contains("more characters", prompt, StringComparison.Ordinal);
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

    [Fact]
    public async Task GetModels_NoModelOrSession_LogsTheLineWithoutThem()
    {
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(_ => { }, b => b.Services.AddSingleton<ILoggerProvider>(logs));
        using var http = app.GetTestClient();

        await http.GetAsync("/v1/models");

        var (_, message, state) = Assert.Single(logs.Entries, e => e.Category.EndsWith("RequestLogMiddleware", StringComparison.Ordinal));
        Assert.Matches(@"^GET /v1/models answered 200 in \d+\.\d ms$", message);
        Assert.DoesNotContain(state, p => p.Key is "Model" or "SessionId");
    }

    [Fact]
    public async Task PostChat_ModelNameWithNewline_LogsItEscapedOnOneLine()
    {
        var logs = new LogCollector();
        await using var app = await server.StartServerAsync(_ => { }, b => b.Services.AddSingleton<ILoggerProvider>(logs));
        using var http = app.GetTestClient();

        using var response = await http.PostAsync("/v1/chat/completions", new StringContent("{\"model\":\"shop\\nINFO forged line\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        var (_, message, _) = Assert.Single(logs.Entries, e => e.Category.EndsWith("RequestLogMiddleware", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', message);
        Assert.Contains("shop\\nINFO forged line", message, StringComparison.Ordinal);
    }
}

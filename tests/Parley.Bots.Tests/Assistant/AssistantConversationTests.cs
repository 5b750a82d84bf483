using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Bots.Packs;
using Parley.Bots.Replies;
using Parley.Bots.Tools;
using Parley.Core.Conversations;
using Parley.Nlu.Embeddings;
using Parley.Storage.Sqlite;
using Parley.Testing;

namespace Parley.Bots.Tests.Assistant;

/// <summary>
/// The assistant sample, offline, through sessions reopened from SQLite at every turn (as separate <c>parley ask --session</c>
/// calls are): routes, intents, tool calls, approvals, forms and the calendar.
/// </summary>
public sealed class AssistantConversationTests : IAsyncLifetime
{
    private readonly AssistantHost _host = new();
    private OpenMeteoTestServer _weather = null!;

    public async Task InitializeAsync() => _weather = await OpenMeteoTestServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _weather.DisposeAsync();
        await _host.DisposeAsync();
    }

    private Task<Bot> BuildAsync(Uri weather) => _host.BuildAsync(weather);

    private static Uri ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task<(string Reply, BotReplyInfo Info)> AskAsync(Bot bot, string session, string text, bool approve = false)
    {
        // A new session object every turn: all state must come back from the database.
        var chat = await _host.OpenAsync(bot, session);
        var response = await chat.SendAsync(text, new ChatOptions().ForSession(session, approve));
        return (response.Text, BotReplyInfo.From(response.AdditionalProperties));
    }

    private Task<int> EventCountAsync(string session) => _host.EventCountAsync(session);

    [Fact]
    public async Task Conversation_ScheduleWeatherTimeAndArithmetic_Offline()
    {
        var bot = await BuildAsync(ClosedPort());
        const string s = "s_script";

        var (reply, info) = await AskAsync(bot, s, "what is 17% of 2,340?");
        Assert.Equal(("tool", "calculate", "397.8"), (info.Route, info.Intent?.Name, reply));
        var call = Assert.Single(info.ToolCalls!);
        Assert.Equal(("calculator", "397.8", (bool?)null), (call.Name, call.Result, call.Approved));

        (reply, info) = await AskAsync(bot, s, "book a call with Anna tomorrow at 10");
        Assert.Equal(("tool", "schedule_create"), (info.Route, info.Intent?.Name));
        Assert.Equal("I'm about to add this to your calendar: title \"call with Anna\", when \"tomorrow at 10\". Shall I go ahead? (yes/no)", reply);
        call = Assert.Single(info.ToolCalls!);
        Assert.Equal(("calendar_create", null, (bool?)false), (call.Name, call.Result, call.Approved));
        Assert.Equal(0, await EventCountAsync(s));

        (reply, info) = await AskAsync(bot, s, "yes");
        Assert.Equal("Booked event 1, call with Anna, Thu 3 Dec 10:00–11:00.", reply);
        Assert.Equal(("calendar_create", (bool?)true), (info.ToolCalls![0].Name, info.ToolCalls[0].Approved));
        Assert.Equal(1, await EventCountAsync(s));

        (reply, info) = await AskAsync(bot, s, "schedule a meeting with Tom");
        Assert.Equal(("tool", "When should it be?"), (info.Route, reply));
        Assert.Empty(info.ToolCalls ?? []);

        (reply, _) = await AskAsync(bot, s, "tomorrow");
        Assert.Equal("At what time tomorrow?", reply);

        (reply, _) = await AskAsync(bot, s, "at 10:30");
        Assert.Equal("I'm about to add this to your calendar: title \"meeting with Tom\", when \"tomorrow at 10:30\". Shall I go ahead? (yes/no)", reply);

        (reply, info) = await AskAsync(bot, s, "yes");
        Assert.StartsWith("Nothing was booked: meeting with Tom at Thu 3 Dec 10:30–11:30 would clash with event 1, call with Anna", reply);
        Assert.Equal(1, await EventCountAsync(s));

        (reply, info) = await AskAsync(bot, s, "what do I have tomorrow?");
        Assert.Equal(("tool", "schedule_list"), (info.Route, info.Intent?.Name));
        Assert.Equal("You have 1 event on Thursday 3 December: event 1, call with Anna, Thu 3 Dec 10:00–11:00.", reply);

        (reply, info) = await AskAsync(bot, s, "move my call with Anna to Friday at 4pm");
        Assert.Equal("schedule_move", info.Intent?.Name);
        Assert.Equal("I'm about to move this event: event \"call with Anna\", when \"Friday at 4pm\". Shall I go ahead? (yes/no)", reply);

        (reply, info) = await AskAsync(bot, s, "no");
        Assert.Equal("OK, I won't do that. Nothing was changed.", reply);
        Assert.Equal(("calendar_move", (bool?)false, (string?)null), (info.ToolCalls![0].Name, info.ToolCalls[0].Approved, info.ToolCalls[0].Result));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), (await _host.Calendar.GetAsync(s, "1"))!.Start);

        (reply, info) = await AskAsync(bot, s, "what's the weather in Paris");
        Assert.Equal(("tool", "weather"), (info.Route, info.Intent?.Name));
        Assert.StartsWith("The weather service is unreachable", reply);
        Assert.StartsWith("Error: The weather service is unreachable", info.ToolCalls![0].Result);

        (reply, _) = await AskAsync(bot, s, "how's the weather");
        Assert.Equal("Which city?", reply);
        (reply, info) = await AskAsync(bot, s, "cancel");
        Assert.Equal(("tool", "OK, I've stopped. Nothing was changed."), (info.Route, reply));

        (reply, info) = await AskAsync(bot, s, "what time is it in Tokyo");
        Assert.Equal(("time_in_city", "It is 21:40 on Wednesday 2 December 2026 in Tokyo (Asia/Tokyo), UTC+09:00."), (info.Intent?.Name, reply));

        (reply, info) = await AskAsync(bot, s, "cancel my call with Anna", approve: true);
        Assert.Equal(("schedule_cancel", "Cancelled event 1, call with Anna, Thu 3 Dec 10:00–11:00."), (info.Intent?.Name, reply));
        Assert.Equal(0, await EventCountAsync(s));

        (reply, info) = await AskAsync(bot, s, "hello");
        Assert.Equal("template", info.Route);
    }

    [Fact]
    public async Task Weather_ThroughAnOpenMeteoDouble_AnswersWithTheForecast()
    {
        var bot = await BuildAsync(_weather.BaseUrl);

        var (reply, info) = await AskAsync(bot, "s_weather", "how's the weather");
        Assert.Equal("Which city?", reply);
        (reply, info) = await AskAsync(bot, "s_weather", "in Berlin");

        Assert.Equal("tool", info.Route);
        Assert.StartsWith("Weather in Berlin, Germany: now 6.3 °C, overcast", reply);
        Assert.Equal("Berlin", info.ToolCalls![0].Arguments["city"]?.ToString());
    }

    [Fact]
    public async Task Calendar_IsPerSession()
    {
        var bot = await BuildAsync(ClosedPort());
        await AskAsync(bot, "s_a", "book a call with Anna tomorrow at 10", approve: true);

        var (reply, _) = await AskAsync(bot, "s_b", "what's on my calendar");

        Assert.Equal("Your calendar is free in the next seven days.", reply);
    }
}

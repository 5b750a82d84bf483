using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Parley.Storage.Sqlite;
using Parley.Tools.Invocation;

namespace Parley.Tools.Tests.Invocation;

public sealed class BuiltInToolsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-tools-").FullName;
    private readonly SqliteCalendarStore _store;
    private readonly BuiltInToolContext _context;

    public BuiltInToolsTests()
    {
        _store = new SqliteCalendarStore(new SqliteConversationStoreOptions { Path = Path.Combine(_folder, "parley.db") });
        _context = new BuiltInToolContext
        {
            Conversation = "s1",
            Calendar = _store,
            TimeProvider = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 12, 40, 0, TimeSpan.Zero)),
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
        };
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static AIFunctionArguments Args(string json) =>
        new(JsonSerializer.Deserialize<Dictionary<string, object?>>(json)!);

    [Fact]
    public void Create_SideEffectingTools_NeedApproval()
    {
        foreach (var name in new[] { BuiltInTools.CalendarCreate, BuiltInTools.CalendarMove, BuiltInTools.CalendarCancel })
        {
            Assert.IsType<ApprovalRequiredAIFunction>(BuiltInTools.Create(name, _context));
        }

        Assert.IsType<GuardedAIFunction>(BuiltInTools.Create(BuiltInTools.CalendarList, _context));
        Assert.IsType<GuardedAIFunction>(BuiltInTools.Create(BuiltInTools.Calculator, _context));
        Assert.IsType<ApprovalRequiredAIFunction>(BuiltInTools.Create(BuiltInTools.Calculator, _context, requireApproval: true));
    }

    [Fact]
    public void Create_SchemaNamesTheParameters()
    {
        var create = BuiltInTools.Create(BuiltInTools.CalendarCreate, _context);

        Assert.Equal("calendar_create", create.Name);
        Assert.Contains("Books an event", create.Description);
        var schema = create.JsonSchema;
        Assert.Equal(["title", "when"], schema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", schema.GetProperty("properties").GetProperty("durationMinutes").GetProperty("type").GetString());
    }

    [Fact]
    public void Create_MissingService_NamesIt() =>
        Assert.Contains("needs a weather service", Assert.Throws<ArgumentException>(() => BuiltInTools.Create(BuiltInTools.Weather, _context)).Message);

    [Fact]
    public void Create_UnknownName_ListsTheKnownOnes() =>
        Assert.Contains("calculator", Assert.Throws<ArgumentException>(() => BuiltInTools.Create("teleport", _context)).Message);

    [Fact]
    public async Task InvokeAsync_JsonArguments_RunTheTool()
    {
        var calculator = BuiltInTools.Create(BuiltInTools.Calculator, _context);
        Assert.Equal("397.8", GuardedAIFunction.ResultText(await calculator.InvokeAsync(Args("""{"expression": "17% of 2,340"}"""))));

        var create = BuiltInTools.Create(BuiltInTools.CalendarCreate, _context);
        Assert.Equal("Booked event 1, Call, Thu 3 Dec 10:00–10:30.", GuardedAIFunction.ResultText(await create.InvokeAsync(Args("""{"title": "Call", "when": "tomorrow at 10", "durationMinutes": 30}"""))));
    }

    [Theory]
    [InlineData("""{}""", "Error: invalid arguments for calendar_create: 'title' is required")]
    [InlineData("""{"title": "Call", "when": null}""", "Error: invalid arguments for calendar_create: 'when' is required")]
    [InlineData("""{"title": 5, "when": "tomorrow at 10"}""", "Error: invalid arguments for calendar_create: 'title' must be a string (got 5)")]
    [InlineData("""{"title": "Call", "when": "tomorrow at 10", "durationMinutes": "long"}""", "Error: invalid arguments for calendar_create: 'durationMinutes' must be an integer (got \"long\")")]
    [InlineData("""{"title": "Call", "when": "tomorrow at 10", "durationMinutes": 1.5}""", "Error: invalid arguments for calendar_create: 'durationMinutes' must be an integer (got 1.5)")]
    public async Task InvokeAsync_ArgumentsOutsideTheSchema_AreAResultNotACrash(string json, string expected)
    {
        var create = BuiltInTools.Create(BuiltInTools.CalendarCreate, _context);

        Assert.Equal(expected, GuardedAIFunction.ResultText(await create.InvokeAsync(Args(json))));
        Assert.Empty(await _store.ListAsync("s1", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task InvokeAsync_ToolFailure_IsAResult()
    {
        var calculator = BuiltInTools.Create(BuiltInTools.Calculator, _context);
        var result = await calculator.InvokeAsync(Args("""{"expression": "System.IO.File.Delete('x')"}"""));
        Assert.True(GuardedAIFunction.IsError(result));

        var time = BuiltInTools.Create(BuiltInTools.CurrentTime, _context);
        Assert.Equal("Error: I don't know the time zone of 'Narnia'. Try a bigger city nearby or a time zone such as Europe/Paris.",
            GuardedAIFunction.ResultText(await time.InvokeAsync(Args("""{"place": "Narnia"}"""))));
    }

    [Theory]
    [InlineData(null, "It is 13:40 on Wednesday 2 December 2026 in Europe/Berlin, UTC+01:00.")]
    [InlineData("Tokyo", "It is 21:40 on Wednesday 2 December 2026 in Tokyo (Asia/Tokyo), UTC+09:00.")]
    [InlineData("new york", "It is 07:40 on Wednesday 2 December 2026 in New York (America/New_York), UTC-05:00.")]
    [InlineData("北京", "It is 20:40 on Wednesday 2 December 2026 in 北京 (Asia/Shanghai), UTC+08:00.")]
    public async Task CurrentTime_Place_TellsTheLocalTime(string? place, string expected)
    {
        var time = BuiltInTools.Create(BuiltInTools.CurrentTime, _context);
        var arguments = place is null ? new AIFunctionArguments() : new AIFunctionArguments { ["place"] = place };
        Assert.Equal(expected, GuardedAIFunction.ResultText(await time.InvokeAsync(arguments)));
    }
}

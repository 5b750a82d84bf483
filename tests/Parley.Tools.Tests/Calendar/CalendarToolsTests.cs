using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Parley.Storage.Sqlite;
using Parley.Tools.Calendar;

namespace Parley.Tools.Tests.Calendar;

public sealed class CalendarToolsTests : IDisposable
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly string _folder = Directory.CreateTempSubdirectory("parley-calendar-").FullName;
    private readonly SqliteCalendarStore _store;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 12, 40, 0, TimeSpan.Zero));

    public CalendarToolsTests()
    {
        _store = new SqliteCalendarStore(new SqliteConversationStoreOptions { Path = Path.Combine(_folder, "parley.db") });
    }

    public void Dispose()
    {
        _store.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private CalendarTools Tools(string calendar = "s1") => new(_store, calendar, _time, Berlin);

    [Fact]
    public async Task CreateAsync_FreeTime_BooksTheEventInTheUsersZone()
    {
        var reply = await Tools().CreateAsync("Call with Anna", "tomorrow at 10");

        Assert.Equal("Booked event 1, Call with Anna, Thu 3 Dec 10:00–11:00.", reply);
        var stored = Assert.Single(await _store.ListAsync("s1", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), stored.Start);
        Assert.Equal("Europe/Berlin", stored.TimeZone);
    }

    [Fact]
    public async Task CreateAsync_Overlap_ReportsTheClashAndBooksNothing()
    {
        await Tools().CreateAsync("Call with Anna", "tomorrow at 10");

        var reply = await Tools().CreateAsync("Dentist", "tomorrow at 10:30", 30);

        Assert.Equal("Nothing was booked: Dentist at Thu 3 Dec 10:30–11:00 would clash with event 1, Call with Anna, Thu 3 Dec 10:00–11:00. Pick another time?", reply);
        Assert.Single(await _store.ListAsync("s1", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task CreateAsync_BackToBack_IsNoClash()
    {
        await Tools().CreateAsync("Call", "tomorrow at 10");
        Assert.StartsWith("Booked event 2", await Tools().CreateAsync("Lunch", "tomorrow at 11am"));
    }

    [Fact]
    public async Task CreateAsync_OtherCalendar_IsNoClash()
    {
        await Tools("s1").CreateAsync("Call", "tomorrow at 10");
        Assert.StartsWith("Booked event 1", await Tools("s2").CreateAsync("Call", "tomorrow at 10"));
    }

    [Theory]
    [InlineData("tomorrow", "At what time on Thursday 3 December?")]
    [InlineData("whenever", "I couldn't tell when 'whenever' is.")]
    [InlineData("yesterday at 10", "Tuesday 1 December 10:00 has already passed.")]
    public async Task CreateAsync_UnusableTime_Asks(string when, string message)
    {
        var error = await Assert.ThrowsAsync<ToolException>(() => Tools().CreateAsync("Call", when));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public async Task CreateAsync_IsoWithoutOffset_IsReadInTheUsersZone()
    {
        Assert.Equal("Booked event 1, Call, Fri 4 Dec 15:00–15:30.", await Tools().CreateAsync("Call", "2026-12-04T15:00", 30));
        Assert.Equal("Booked event 2, Late call, Fri 4 Dec 20:00–21:00.", await Tools().CreateAsync("Late call", "2026-12-04T19:00:00Z"));
    }

    [Fact]
    public async Task ListAsync_Day_ListsThatDaysEvents()
    {
        await Tools().CreateAsync("Call with Anna", "tomorrow at 10");
        await Tools().CreateAsync("Gym", "friday at 7pm");

        Assert.Equal("You have 1 event on Thursday 3 December: event 1, Call with Anna, Thu 3 Dec 10:00–11:00.", await Tools().ListAsync("tomorrow"));
        Assert.Equal("You have 2 events in the next seven days: event 1, Call with Anna, Thu 3 Dec 10:00–11:00; event 2, Gym, Fri 4 Dec 19:00–20:00.", await Tools().ListAsync());
        Assert.Equal("Your calendar is free on Saturday 5 December.", await Tools().ListAsync("saturday"));
    }

    [Fact]
    public async Task MoveAsync_ByTitle_KeepsTheLength()
    {
        await Tools().CreateAsync("Call with Anna", "tomorrow at 10", 45);

        Assert.Equal("Moved event 1, Call with Anna, Fri 4 Dec 16:00–16:45.", await Tools().MoveAsync("anna", "friday at 4pm"));
    }

    [Fact]
    public async Task MoveAsync_IntoAnotherEvent_ReportsTheClash()
    {
        await Tools().CreateAsync("Call with Anna", "tomorrow at 10");
        await Tools().CreateAsync("Dentist", "tomorrow at 3pm");

        var reply = await Tools().MoveAsync("1", "tomorrow at 2:30pm");

        Assert.StartsWith("Nothing was moved: Call with Anna at Thu 3 Dec 14:30–15:30 would clash with event 2, Dentist", reply);
        Assert.Equal(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero), (await _store.GetAsync("s1", "1"))!.Start);
    }

    [Fact]
    public async Task MoveAsync_OntoItself_IsNoClash()
    {
        await Tools().CreateAsync("Call", "tomorrow at 10");
        Assert.StartsWith("Moved event 1, Call, Thu 3 Dec 10:30", await Tools().MoveAsync("event 1", "tomorrow at 10:30"));
    }

    [Fact]
    public async Task CancelAsync_ById_RemovesIt()
    {
        await Tools().CreateAsync("Call", "tomorrow at 10");

        Assert.Equal("Cancelled event 1, Call, Thu 3 Dec 10:00–11:00.", await Tools().CancelAsync("#1"));
        Assert.Empty(await _store.ListAsync("s1", DateTimeOffset.MinValue, DateTimeOffset.MaxValue));
    }

    [Fact]
    public async Task CancelAsync_UnknownOrAmbiguous_Asks()
    {
        await Tools().CreateAsync("Call with Anna", "tomorrow at 10");
        await Tools().CreateAsync("Call with Bob", "tomorrow at 12");

        Assert.Equal("There is no event 9 in your calendar.", (await Assert.ThrowsAsync<ToolException>(() => Tools().CancelAsync("9"))).Message);
        Assert.StartsWith("Several events match 'call'", (await Assert.ThrowsAsync<ToolException>(() => Tools().CancelAsync("call"))).Message);
        Assert.Equal("I can't find an upcoming event called 'dentist'.", (await Assert.ThrowsAsync<ToolException>(() => Tools().CancelAsync("dentist"))).Message);
    }
}

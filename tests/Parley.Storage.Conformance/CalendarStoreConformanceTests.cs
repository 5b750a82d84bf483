namespace Parley.Storage.Conformance;

/// <summary>What every <see cref="Core.Calendar.ICalendarStore"/> must do, run against each backend by a derived class.</summary>
public abstract class CalendarStoreConformanceTests(StoreBackend backend) : IAsyncLifetime
{
    private static readonly DateTimeOffset Nine = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    protected StoreBackend Backend { get; } = backend;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Backend.DisposeAsync();

    [StoreFact]
    public async Task AddAsync_TwoEvents_NumbersThemPerCalendar()
    {
        var store = Backend.OpenCalendarStore();
        var first = await store.AddAsync("s1", "Call with Anna", Nine, Nine.AddHours(1), "Europe/Berlin");
        var second = await store.AddAsync("s1", "Dentist", Nine.AddHours(2), Nine.AddHours(3), "Europe/Berlin");
        var other = await store.AddAsync("s2", "Gym", Nine, Nine.AddHours(1), "UTC");

        Assert.Equal(("1", "2", "1"), (first.Id, second.Id, other.Id));
        Assert.Equal(second, await store.GetAsync("s1", "2"));
        Assert.Null(await store.GetAsync("s1", "x"));
    }

    [StoreFact]
    public async Task AddAsync_ConcurrentFromTwoStores_GivesDistinctIds()
    {
        var a = Backend.OpenCalendarStore();
        var b = Backend.OpenCalendarStore();

        var added = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? a : b).AddAsync("shared", $"event {i}", Nine.AddHours(i), Nine.AddHours(i + 1), "UTC"))));

        Assert.Equal(Enumerable.Range(1, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order(), added.Select(e => e.Id).Order());
    }

    [StoreFact]
    public async Task ListAsync_Window_ReturnsOverlappingEventsInOrder()
    {
        var store = Backend.OpenCalendarStore();
        await store.AddAsync("s1", "Late", Nine.AddHours(5), Nine.AddHours(6), "UTC");
        await store.AddAsync("s1", "Early", Nine, Nine.AddHours(1), "UTC");
        await store.AddAsync("s1", "Tomorrow", Nine.AddDays(1), Nine.AddDays(1).AddHours(1), "UTC");

        Assert.Equal(["Early", "Late"], (await store.ListAsync("s1", Nine.AddMinutes(30), Nine.AddHours(12))).Select(e => e.Title));
        Assert.Empty(await store.ListAsync("s1", Nine.AddHours(1), Nine.AddHours(5)));
    }

    [StoreFact]
    public async Task MoveAsync_And_RemoveAsync_ChangeOnlyTheNamedEvent()
    {
        var store = Backend.OpenCalendarStore();
        var ev = await store.AddAsync("s1", "Call", Nine, Nine.AddHours(1), "UTC");

        Assert.True(await store.MoveAsync("s1", ev.Id, Nine.AddHours(3), Nine.AddHours(4)));
        Assert.Equal(Nine.AddHours(3), (await store.GetAsync("s1", ev.Id))!.Start);
        Assert.False(await store.MoveAsync("s2", ev.Id, Nine, Nine.AddHours(1)));
        Assert.False(await store.RemoveAsync("s1", "99"));
        Assert.True(await store.RemoveAsync("s1", ev.Id));
        Assert.Null(await store.GetAsync("s1", ev.Id));
    }

    [StoreFact]
    public async Task AddAsync_EndBeforeStart_Throws() =>
        await Assert.ThrowsAsync<ArgumentException>(() => Backend.OpenCalendarStore().AddAsync("s1", "x", Nine, Nine, "UTC"));
}

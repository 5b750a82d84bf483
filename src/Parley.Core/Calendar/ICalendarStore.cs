namespace Parley.Core.Calendar;

/// <summary>
/// Stores calendar events, next to the conversations (<c>Parley.Storage.Sqlite.SqliteCalendarStore</c> keeps them in the
/// conversation database). Conflicts are the caller's concern: the store keeps what it is given.
/// </summary>
public interface ICalendarStore
{
    /// <summary>Adds an event and gives it the next free id of its calendar.</summary>
    /// <param name="calendar">The calendar.</param>
    /// <param name="title">What the event is.</param>
    /// <param name="start">When it starts.</param>
    /// <param name="end">When it ends; after <paramref name="start"/>.</param>
    /// <param name="timeZone">The IANA time zone it was made in.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The stored event, with its id.</returns>
    Task<CalendarEvent> AddAsync(string calendar, string title, DateTimeOffset start, DateTimeOffset end, string timeZone, CancellationToken cancellationToken = default);

    /// <summary>Loads an event, or null when the calendar has none with that id.</summary>
    Task<CalendarEvent?> GetAsync(string calendar, string id, CancellationToken cancellationToken = default);

    /// <summary>Lists the events that overlap [<paramref name="from"/>, <paramref name="to"/>), earliest first.</summary>
    Task<IReadOnlyList<CalendarEvent>> ListAsync(string calendar, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);

    /// <summary>Moves an event to new times; false when there is no such event.</summary>
    Task<bool> MoveAsync(string calendar, string id, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default);

    /// <summary>Removes an event; false when there is no such event.</summary>
    Task<bool> RemoveAsync(string calendar, string id, CancellationToken cancellationToken = default);
}

namespace Parley.Core.Calendar;

/// <summary>An event in a calendar kept by a bot's calendar tools.</summary>
/// <param name="Calendar">The calendar the event belongs to (for example a conversation id).</param>
/// <param name="Id">The event's id within its calendar: a small number as text ("1", "2", …).</param>
/// <param name="Title">What the event is.</param>
/// <param name="Start">When it starts.</param>
/// <param name="End">When it ends (after <paramref name="Start"/>).</param>
/// <param name="TimeZone">The IANA time zone the event was made in, used to show its times.</param>
public sealed record CalendarEvent(string Calendar, string Id, string Title, DateTimeOffset Start, DateTimeOffset End, string TimeZone)
{
    /// <summary>Whether this event overlaps the half-open interval [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && start < End;
}

using System.ComponentModel;
using System.Globalization;
using System.Text;
using Parley.Core.Calendar;
using Parley.Tools.Dates;

namespace Parley.Tools.Calendar;

/// <summary>
/// The calendar tools of one calendar: <c>calendar_create</c>, <c>calendar_list</c>, <c>calendar_move</c> and
/// <c>calendar_cancel</c>. Times are natural phrases read in the user's time zone ("tomorrow at 10", "明天下午三点") or
/// ISO 8601; a new or moved event that overlaps another is not booked, and the clash is reported.
/// </summary>
public sealed partial class CalendarTools
{
    private static readonly TimeSpan Horizon = TimeSpan.FromDays(400);
    private readonly ICalendarStore _store;
    private readonly string _calendar;
    private readonly TimeProvider _timeProvider;
    private readonly TimeZoneInfo _zone;
    private readonly DatePhraseResolver _resolver;

    /// <summary>Creates the tools for one calendar.</summary>
    /// <param name="store">Where events are kept.</param>
    /// <param name="calendar">The calendar (for example the conversation id).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="zone">The user's time zone.</param>
    public CalendarTools(ICalendarStore store, string calendar, TimeProvider timeProvider, TimeZoneInfo zone)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        ArgumentException.ThrowIfNullOrWhiteSpace(calendar);
        _calendar = calendar;
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _zone = zone ?? throw new ArgumentNullException(nameof(zone));
        _resolver = new DatePhraseResolver(timeProvider);
    }

    /// <summary>Books an event.</summary>
    [Description("Books an event in the user's calendar. Refuses, and names the clash, when it overlaps another event.")]
    public async Task<string> CreateAsync(
        [Description("What the event is, e.g. \"Call with Anna\".")] string title,
        [Description("When it starts: a phrase such as \"tomorrow at 10\" or \"next Tuesday 3pm\", or ISO 8601.")] string when,
        [Description("How long it lasts, in minutes (default 60).")] int durationMinutes = 60,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(title))
        {
            throw new ToolException("What should I call the event?");
        }

        if (durationMinutes is < 5 or > 24 * 60)
        {
            throw new ToolException("An event lasts between 5 minutes and 24 hours.");
        }

        var start = ResolveStart(when);
        var end = start.AddMinutes(durationMinutes);
        if (await ClashAsync(start, end, null, cancellationToken).ConfigureAwait(false) is { } clash)
        {
            return $"Nothing was booked: {title.Trim()} at {Span(start, end)} would clash with {Describe(clash)}. Pick another time?";
        }

        var added = await _store.AddAsync(_calendar, title.Trim(), start, end, _zone.Id, cancellationToken).ConfigureAwait(false);
        return $"Booked {Describe(added)}.";
    }

    /// <summary>Lists events.</summary>
    [Description("Lists the events in the user's calendar: on a given day, or in the next seven days.")]
    public async Task<string> ListAsync(
        [Description("A day such as \"tomorrow\" or \"next Monday\"; empty for the next seven days.")] string? day = null,
        CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        DateTimeOffset from = now, to = now.AddDays(7);
        var period = "in the next seven days";
        if (!string.IsNullOrWhiteSpace(day))
        {
            var phrase = _resolver.Resolve(day, _zone) ?? throw new ToolException($"I couldn't tell which day '{day.Trim()}' is.");
            var date = DateOnly.FromDateTime(phrase.Value.DateTime);
            from = DatePhraseResolver.ToMoment(date, TimeOnly.MinValue, _zone);
            to = DatePhraseResolver.ToMoment(date.AddDays(1), TimeOnly.MinValue, _zone);
            period = string.Create(CultureInfo.InvariantCulture, $"on {phrase.Value:dddd d MMMM}");
        }

        var events = await _store.ListAsync(_calendar, from, to, cancellationToken).ConfigureAwait(false);
        if (events.Count == 0)
        {
            return $"Your calendar is free {period}.";
        }

        var text = new StringBuilder($"You have {events.Count} event{(events.Count == 1 ? "" : "s")} {period}:");
        foreach (var ev in events)
        {
            text.Append(' ').Append(Describe(ev)).Append(';');
        }

        text.Length--;
        return text.Append('.').ToString();
    }

    /// <summary>Moves an event.</summary>
    [Description("Moves an event of the user's calendar to a new start time, keeping its length. Refuses, and names the clash, when the new time overlaps another event.")]
    public async Task<string> MoveAsync(
        [Description("The event: its number, or words of its title.")] string @event,
        [Description("The new start: a phrase such as \"Friday at 4pm\", or ISO 8601.")] string when,
        CancellationToken cancellationToken = default)
    {
        var ev = await FindAsync(@event, cancellationToken).ConfigureAwait(false);
        var start = ResolveStart(when);
        var end = start + (ev.End - ev.Start);
        if (await ClashAsync(start, end, ev.Id, cancellationToken).ConfigureAwait(false) is { } clash)
        {
            return $"Nothing was moved: {ev.Title} at {Span(start, end)} would clash with {Describe(clash)}. Pick another time?";
        }

        await _store.MoveAsync(_calendar, ev.Id, start, end, cancellationToken).ConfigureAwait(false);
        return $"Moved {Describe(ev with { Start = start, End = end })}.";
    }

    /// <summary>Cancels an event.</summary>
    [Description("Cancels (removes) an event of the user's calendar.")]
    public async Task<string> CancelAsync(
        [Description("The event: its number, or words of its title.")] string @event,
        CancellationToken cancellationToken = default)
    {
        var ev = await FindAsync(@event, cancellationToken).ConfigureAwait(false);
        await _store.RemoveAsync(_calendar, ev.Id, cancellationToken).ConfigureAwait(false);
        return $"Cancelled {Describe(ev)}.";
    }

    private DateTimeOffset ResolveStart(string when)
    {
        if (string.IsNullOrWhiteSpace(when))
        {
            throw new ToolException("When should it be?");
        }

        DateTimeOffset start;
        if (IsoMoment().Match(when.Trim()) is { Success: true } iso)
        {
            var local = DateTime.Parse(iso.Groups["local"].Value, CultureInfo.InvariantCulture);
            start = iso.Groups["offset"].Success
                ? DateTimeOffset.Parse(iso.Value, CultureInfo.InvariantCulture)
                : DatePhraseResolver.ToMoment(DateOnly.FromDateTime(local), TimeOnly.FromDateTime(local), _zone);
        }
        else
        {
            var phrase = _resolver.Resolve(when, _zone) ?? throw new ToolException($"I couldn't tell when '{when.Trim()}' is. Try \"tomorrow at 10\" or \"Friday 3pm\".");
            if (!phrase.HasTime)
            {
                throw new ToolException(string.Create(CultureInfo.InvariantCulture, $"At what time on {phrase.Value:dddd d MMMM}?"));
            }

            start = phrase.Value;
        }

        if (start < _timeProvider.GetUtcNow())
        {
            throw new ToolException(string.Create(CultureInfo.InvariantCulture, $"{Local(start):dddd d MMMM HH:mm} has already passed."));
        }

        return start;
    }

    private async Task<CalendarEvent?> ClashAsync(DateTimeOffset start, DateTimeOffset end, string? except, CancellationToken cancellationToken)
    {
        var overlapping = await _store.ListAsync(_calendar, start, end, cancellationToken).ConfigureAwait(false);
        return overlapping.FirstOrDefault(e => e.Id != except);
    }

    private async Task<CalendarEvent> FindAsync(string reference, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reference))
        {
            throw new ToolException("Which event? Give its number or its title.");
        }

        var key = reference.Trim().TrimStart('#');
        if (key.StartsWith("event ", StringComparison.OrdinalIgnoreCase))
        {
            key = key[6..].Trim();
        }

        if (key.All(char.IsAsciiDigit))
        {
            return await _store.GetAsync(_calendar, key, cancellationToken).ConfigureAwait(false)
                ?? throw new ToolException($"There is no event {key} in your calendar.");
        }

        var now = _timeProvider.GetUtcNow();
        var upcoming = await _store.ListAsync(_calendar, now, now + Horizon, cancellationToken).ConfigureAwait(false);
        var matches = upcoming.Where(e => e.Title.Contains(key, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new ToolException($"I can't find an upcoming event called '{key}'."),
            _ => throw new ToolException($"Several events match '{key}': {string.Join("; ", matches.Select(Describe))}. Which one (by number)?"),
        };
    }

    private DateTimeOffset Local(DateTimeOffset moment) => TimeZoneInfo.ConvertTime(moment, _zone);

    private string Span(DateTimeOffset start, DateTimeOffset end) =>
        string.Create(CultureInfo.InvariantCulture, $"{Local(start):ddd d MMM HH:mm}–{Local(end):HH:mm}");

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<local>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?<offset>Z|[+-]\d{2}:?\d{2})?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex IsoMoment();

    private string Describe(CalendarEvent ev) => $"event {ev.Id}, {ev.Title}, {Span(ev.Start, ev.End)}";
}

using System.ComponentModel;
using System.Globalization;

namespace Parley.Tools.Dates;

/// <summary>The <c>current_time</c> tool: the date and time now, in the user's time zone or in a named place.</summary>
public sealed class CurrentTimeTool
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeZoneInfo _userZone;

    /// <summary>Creates the tool.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="userZone">The user's time zone, used when no place is given.</param>
    public CurrentTimeTool(TimeProvider timeProvider, TimeZoneInfo userZone)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _userZone = userZone ?? throw new ArgumentNullException(nameof(userZone));
    }

    /// <summary>Tells the time.</summary>
    /// <param name="place">A city or IANA time zone; empty for the user's own.</param>
    [Description("Tells the current date and time in a city or time zone (the user's own when none is given).")]
    public string GetTime([Description("A city (\"Tokyo\") or IANA time zone (\"Europe/Paris\"); empty for the user's time zone.")] string? place = null)
    {
        var zone = string.IsNullOrWhiteSpace(place) ? _userZone
            : TimeZoneLookup.Find(place) ?? throw new ToolException($"I don't know the time zone of '{place.Trim()}'. Try a bigger city nearby or a time zone such as Europe/Paris.");
        var now = TimeZoneInfo.ConvertTime(_timeProvider.GetUtcNow(), zone);
        var where = string.IsNullOrWhiteSpace(place) ? zone.Id : $"{CultureInfo.InvariantCulture.TextInfo.ToTitleCase(place.Trim())} ({zone.Id})";
        return string.Create(CultureInfo.InvariantCulture,
            $"It is {now:HH:mm} on {now:dddd d MMMM yyyy} in {where}, UTC{(now.Offset < TimeSpan.Zero ? "-" : "+")}{now.Offset:hh\\:mm}.");
    }
}

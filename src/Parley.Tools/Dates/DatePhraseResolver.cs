namespace Parley.Tools.Dates;

/// <summary>
/// Reads natural date and time phrases — "next Tuesday at 3pm", "tomorrow morning", "in two hours", "on the 31st",
/// "明天下午三点", "下周二上午十点半", "两个小时后" — against the current time of an injected <see cref="TimeProvider"/> in
/// the user's time zone.
/// </summary>
/// <remarks>
/// <para>Conventions (weeks start on Monday):</para>
/// <list type="bullet">
/// <item>"Tuesday", "on Tuesday", "this Tuesday", "周二": the next Tuesday from today, today included.
/// "next Tuesday", "下周二": the Tuesday of next week. "本周二"/"这周二": the Tuesday of this week, even when it has passed.</item>
/// <item>A time alone ("at 3pm") is today when it is still ahead, else tomorrow. An hour from 1 to 7 without am/pm or a part of the
/// day is read as afternoon ("at 3" → 15:00).</item>
/// <item>"morning" 09:00, "noon" 12:00, "afternoon" 15:00, "evening" 19:00, "tonight"/"night" 20:00, "midnight" 00:00 of the next day.</item>
/// <item>"in two hours" is an exact duration (across a DST change the wall clock moves by one hour more or less); "in 3 days",
/// "in a month" count calendar days and months (January 31 + 1 month is the last day of February).</item>
/// <item>A wall-clock time that does not exist (skipped by a DST change) moves forward by the gap (02:30 → 03:30); one that occurs
/// twice takes the first (daylight) occurrence.</item>
/// <item>"the 31st", "31号": the next day of that number, skipping months too short to have it.</item>
/// </list>
/// </remarks>
public sealed class DatePhraseResolver
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the resolver.</summary>
    /// <param name="timeProvider">The clock phrases are read against.</param>
    public DatePhraseResolver(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    }

    /// <summary>Finds the date/time phrase in <paramref name="text"/>.</summary>
    /// <param name="text">The message.</param>
    /// <param name="timeZone">The user's time zone.</param>
    /// <returns>The moment, or null when the message names no date or time.</returns>
    public DatePhrase? Resolve(string text, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(timeZone);
        var now = TimeZoneInfo.ConvertTime(_timeProvider.GetUtcNow(), timeZone);
        var parts = new DateParts(text.ToLowerInvariant(), DateOnly.FromDateTime(now.DateTime), now);
        EnglishDatePatterns.Scan(parts);
        ChineseDatePatterns.Scan(parts);
        if (!parts.HasAnything)
        {
            return null;
        }

        var spans = parts.Spans.OrderBy(s => s.Start.Value).ToArray();
        if (parts.Elapsed is { } elapsed && parts.Date is null && parts.Hour is null && parts.Part is null)
        {
            return new DatePhrase(TimeZoneInfo.ConvertTime(now + elapsed, timeZone), true, true, spans);
        }

        var time = TimeOfDay(parts);
        var date = parts.Date ?? parts.Today;
        if (time is not { } t)
        {
            return new DatePhrase(ToMoment(date, TimeOnly.MinValue, timeZone), true, false, spans);
        }

        var (clock, nextDay) = t;
        if (nextDay)
        {
            date = date.AddDays(1);
        }

        var moment = ToMoment(date, clock, timeZone);
        if (parts.Date is null && moment <= now)
        {
            moment = ToMoment(date.AddDays(1), clock, timeZone);
        }

        return new DatePhrase(moment, parts.Date is not null, true, spans);
    }

    /// <summary>The moment a wall-clock time has in <paramref name="zone"/>, with the DST rules in the remarks.</summary>
    public static DateTimeOffset ToMoment(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            // Skipped by a spring-forward change: read with the offset before the change, which lands after the gap.
            offset = zone.GetUtcOffset(local.AddHours(-6));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }

        return TimeZoneInfo.ConvertTime(new DateTimeOffset(local, offset), zone);
    }

    private static (TimeOnly Clock, bool NextDay)? TimeOfDay(DateParts parts)
    {
        if (parts.Hour is not { } hour)
        {
            return parts.Part switch
            {
                DayPart.EarlyMorning => (new TimeOnly(6, 0), false),
                DayPart.Morning => (new TimeOnly(9, 0), false),
                DayPart.Noon => (new TimeOnly(12, 0), false),
                DayPart.Afternoon => (new TimeOnly(15, 0), false),
                DayPart.Evening => (new TimeOnly(19, 0), false),
                DayPart.Night => (new TimeOnly(20, 0), false),
                _ => null,
            };
        }

        if (parts.Meridiem == Meridiem.Exact)
        {
            return hour >= 24 ? (new TimeOnly(0, parts.Minute), true) : (new TimeOnly(hour, parts.Minute), false);
        }

        var afternoon = parts.Meridiem == Meridiem.Pm || parts.Part is DayPart.Afternoon or DayPart.Evening or DayPart.Night
            || (parts.Part == DayPart.Noon && hour < 6);
        var morning = parts.Meridiem == Meridiem.Am || parts.Part is DayPart.Morning or DayPart.EarlyMorning;
        if (afternoon && hour < 12)
        {
            hour += 12;
        }
        else if (morning && hour == 12)
        {
            hour = 0;
        }
        else if (!afternoon && !morning && parts.Part is null && hour is >= 1 and <= 7)
        {
            hour += 12;
        }

        return hour >= 24 ? (new TimeOnly(0, parts.Minute), true) : (new TimeOnly(hour, parts.Minute), false);
    }

    /// <summary>The next day numbered <paramref name="day"/> on or after <paramref name="from"/>, skipping months without it.</summary>
    internal static DateOnly NextDayOfMonth(DateOnly from, int day)
    {
        var month = new DateOnly(from.Year, from.Month, 1);
        for (var i = 0; i < 14; i++, month = month.AddMonths(1))
        {
            if (day <= DateTime.DaysInMonth(month.Year, month.Month) && new DateOnly(month.Year, month.Month, day) >= from)
            {
                return new DateOnly(month.Year, month.Month, day);
            }
        }

        throw new ArgumentOutOfRangeException(nameof(day), day, "A day of the month is between 1 and 31.");
    }

    /// <summary>The date of <paramref name="weekday"/> in the week (Monday to Sunday) <paramref name="weeksAhead"/> after today's.</summary>
    internal static DateOnly WeekdayOfWeek(DateOnly today, DayOfWeek weekday, int weeksAhead)
    {
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return monday.AddDays(7 * weeksAhead + (((int)weekday + 6) % 7));
    }

    /// <summary>The next <paramref name="weekday"/> on or after <paramref name="today"/>.</summary>
    internal static DateOnly Upcoming(DateOnly today, DayOfWeek weekday) =>
        today.AddDays(((int)weekday - (int)today.DayOfWeek + 7) % 7);

    /// <summary>A month and day in <paramref name="year"/>, else its next occurrence from today (February 29 waits for a leap year).</summary>
    internal static DateOnly? MonthDay(DateOnly today, int month, int day, int? year)
    {
        if (month is < 1 or > 12 || day is < 1 or > 31)
        {
            return null;
        }

        if (year is { } y)
        {
            return y is >= 1 and <= 9999 && day <= DateTime.DaysInMonth(y, month) ? new DateOnly(y, month, day) : null;
        }

        for (var candidate = today.Year; candidate <= today.Year + 8; candidate++)
        {
            if (day <= DateTime.DaysInMonth(candidate, month) && new DateOnly(candidate, month, day) >= today)
            {
                return new DateOnly(candidate, month, day);
            }
        }

        return null;
    }
}

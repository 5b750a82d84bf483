namespace Parley.Tools.Dates;

/// <summary>What the pattern scanners found in a message, before it is turned into a moment.</summary>
internal sealed class DateParts
{
    private readonly bool[] _taken;

    public DateParts(string text, DateOnly today, DateTimeOffset now)
    {
        Text = text;
        Today = today;
        Now = now;
        _taken = new bool[text.Length];
    }

    /// <summary>The message, lower-cased (same length as the original, so spans line up).</summary>
    public string Text { get; }

    public DateOnly Today { get; }

    public DateTimeOffset Now { get; }

    public DateOnly? Date { get; set; }

    public int? Hour { get; set; }

    public int Minute { get; set; }

    public Meridiem Meridiem { get; set; }

    public DayPart? Part { get; set; }

    /// <summary>A clock duration from now ("in two hours"): the moment is exact, whatever the local clock does.</summary>
    public TimeSpan? Elapsed { get; set; }

    public List<Range> Spans { get; } = [];

    public bool HasAnything => Date is not null || Hour is not null || Part is not null || Elapsed is not null;

    /// <summary>Claims a match's characters; false when it overlaps one claimed before (a better pattern won).</summary>
    public bool Claim(int index, int length)
    {
        for (var i = index; i < index + length; i++)
        {
            if (_taken[i])
            {
                return false;
            }
        }

        Array.Fill(_taken, true, index, length);
        Spans.Add(new Range(index, index + length));
        return true;
    }
}

/// <summary>An explicit am/pm.</summary>
internal enum Meridiem
{
    None,
    Am,
    Pm,

    /// <summary>The hour is on a 24-hour clock ("07:30", "2026-12-03 12:00"): not adjusted.</summary>
    Exact,
}

/// <summary>A part of the day, which sets a default time and how an hour is read ("3 in the afternoon").</summary>
internal enum DayPart
{
    EarlyMorning,
    Morning,
    Noon,
    Afternoon,
    Evening,
    Night,
}

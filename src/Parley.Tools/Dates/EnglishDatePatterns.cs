using System.Globalization;
using System.Text.RegularExpressions;

namespace Parley.Tools.Dates;

/// <summary>English date and time phrases, most specific first (each claims its characters, see <see cref="DateParts.Claim"/>).</summary>
internal static partial class EnglishDatePatterns
{
    private const string Months = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
    private const string Count = @"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty[- ]five|half\s+an?|a\s+couple\s+of";
    private const string Units = @"minutes?|mins?|hours?|hrs?|days?|weeks?|months?";
    private const string HourWords = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve";

    public static void Scan(DateParts parts)
    {
        foreach (Match m in Iso().Matches(parts.Text))
        {
            if (parts.Date is null && DatePhraseResolver.MonthDay(parts.Today, Int(m, "m"), Int(m, "d"), Int(m, "y")) is { } date && Claim(parts, m))
            {
                parts.Date = date;
                if (m.Groups["h"].Success)
                {
                    (parts.Hour, parts.Minute, parts.Meridiem) = (Int(m, "h"), Int(m, "mi"), Meridiem.Exact);
                }
            }
        }

        First(parts, Relative(), m =>
        {
            var n = Number(m.Groups["n"].Value);
            var unit = m.Groups["u"].Value;
            switch (unit[0])
            {
                case 'm' when unit.StartsWith("mo", StringComparison.Ordinal):
                    parts.Date = parts.Today.AddMonths((int)n);
                    break;
                case 'm':
                    parts.Elapsed = TimeSpan.FromMinutes(n);
                    break;
                case 'h':
                    parts.Elapsed = TimeSpan.FromHours(n);
                    break;
                case 'd':
                    parts.Date = parts.Today.AddDays((int)n);
                    break;
                default:
                    parts.Date = parts.Today.AddDays(7 * (int)n);
                    break;
            }
        });
        First(parts, NamedDay(), m =>
        {
            var word = m.Groups["w"].Value;
            parts.Date = word switch
            {
                "today" or "tonight" => parts.Today,
                "tomorrow" => parts.Today.AddDays(1),
                "yesterday" => parts.Today.AddDays(-1),
                _ => parts.Today.AddDays(2),
            };
            if (word == "tonight")
            {
                parts.Part = DayPart.Night;
            }
        });
        First(parts, Weekday(), m =>
        {
            var day = Enum.Parse<DayOfWeek>(m.Groups["d"].Value, ignoreCase: true);
            parts.Date = m.Groups["mod"].Value == "next"
                ? DatePhraseResolver.WeekdayOfWeek(parts.Today, day, 1)
                : DatePhraseResolver.Upcoming(parts.Today, day);
        });
        First(parts, NextPeriod(), m => parts.Date = m.Groups["p"].Value switch
        {
            "week" => DatePhraseResolver.WeekdayOfWeek(parts.Today, DayOfWeek.Monday, 1),
            "month" => new DateOnly(parts.Today.Year, parts.Today.Month, 1).AddMonths(1),
            _ => new DateOnly(parts.Today.Year, parts.Today.Month, DateTime.DaysInMonth(parts.Today.Year, parts.Today.Month)),
        });
        First(parts, MonthFirst(), m => parts.Date = DatePhraseResolver.MonthDay(parts.Today, MonthNumber(m.Groups["m"].Value), Int(m, "d"), OptionalInt(m, "y")));
        First(parts, DayFirst(), m => parts.Date = DatePhraseResolver.MonthDay(parts.Today, MonthNumber(m.Groups["m"].Value), Int(m, "d"), OptionalInt(m, "y")));
        First(parts, DayOfMonth(), m =>
        {
            if (Int(m, "d") is >= 1 and <= 31)
            {
                parts.Date = DatePhraseResolver.NextDayOfMonth(parts.Today, Int(m, "d"));
            }
        });

        First(parts, ClockWithMeridiem(), m =>
            (parts.Hour, parts.Minute, parts.Meridiem) = (Int(m, "h"), OptionalInt(m, "mi") ?? 0, m.Groups["ap"].Value[0] == 'a' ? Meridiem.Am : Meridiem.Pm));
        First(parts, Clock(), m => (parts.Hour, parts.Minute, parts.Meridiem) =
            (Int(m, "h"), Int(m, "mi"), m.Groups["h"].Value.StartsWith('0') || Int(m, "h") >= 13 ? Meridiem.Exact : Meridiem.None));
        First(parts, AtHour(), m => parts.Hour = m.Groups["hw"].Success ? (int)Number(m.Groups["hw"].Value) : Int(m, "h"));
        First(parts, NoonOrMidnight(), m =>
        {
            if (m.Groups["w"].Value == "midnight")
            {
                parts.Hour = 24;
            }
            else
            {
                parts.Part = DayPart.Noon;
                parts.Hour ??= 12;
            }
        });
        First(parts, DayPartWord(), m => parts.Part = m.Groups["p"].Value switch
        {
            "morning" => DayPart.Morning,
            "afternoon" => DayPart.Afternoon,
            "evening" => DayPart.Evening,
            _ => DayPart.Night,
        });

        if (parts.Hour is { } hour && (hour > 24 || parts.Minute > 59))
        {
            parts.Hour = null;
        }
    }

    private static void First(DateParts parts, Regex regex, Action<Match> apply)
    {
        foreach (Match m in regex.Matches(parts.Text))
        {
            if (Claim(parts, m))
            {
                apply(m);
                return;
            }
        }
    }

    private static bool Claim(DateParts parts, Match m) => parts.Claim(m.Index, m.Length);

    private static int Int(Match m, string group) => int.Parse(m.Groups[group].Value, CultureInfo.InvariantCulture);

    private static int? OptionalInt(Match m, string group) => m.Groups[group].Success ? Int(m, group) : null;

    private static int MonthNumber(string name) => name[..3] switch
    {
        "jan" => 1, "feb" => 2, "mar" => 3, "apr" => 4, "may" => 5, "jun" => 6,
        "jul" => 7, "aug" => 8, "sep" => 9, "oct" => 10, "nov" => 11, _ => 12,
    };

    /// <summary>A count in digits or words ("two", "an", "half an", "a couple of").</summary>
    internal static double Number(string word)
    {
        word = Regex.Replace(word.Trim(), @"\s+", " ");
        if (double.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return n;
        }

        return word switch
        {
            "a" or "an" or "one" => 1, "two" or "a couple of" => 2, "three" => 3, "four" => 4, "five" => 5, "six" => 6,
            "seven" => 7, "eight" => 8, "nine" => 9, "ten" => 10, "eleven" => 11, "twelve" => 12, "fifteen" => 15,
            "twenty" => 20, "thirty" => 30, "forty-five" or "forty five" => 45, "half a" or "half an" => 0.5,
            _ => throw new FormatException($"'{word}' is not a count."),
        };
    }

    [GeneratedRegex(@"\b(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})(?:[t ](?<h>\d{2}):(?<mi>\d{2}))?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iso();

    [GeneratedRegex(@"\bin\s+(?<n>" + Count + @")\s+(?<u>" + Units + @")\b|\b(?<n>" + Count + @")\s+(?<u>" + Units + @")\s+from\s+now\b", RegexOptions.CultureInvariant)]
    private static partial Regex Relative();

    [GeneratedRegex(@"\b(?:the\s+)?(?<w>day\s+after\s+tomorrow|today|tonight|tomorrow|yesterday)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NamedDay();

    [GeneratedRegex(@"\b(?:(?<mod>this|next|coming|on)\s+)?(?<d>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b", RegexOptions.CultureInvariant)]
    private static partial Regex Weekday();

    [GeneratedRegex(@"\bnext\s+(?<p>week|month)\b|\b(?<p>end)\s+of\s+(?:the\s+|this\s+)?month\b", RegexOptions.CultureInvariant)]
    private static partial Regex NextPeriod();

    [GeneratedRegex(@"\b(?:on\s+)?(?<m>" + Months + @")\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?<y>\d{4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex MonthFirst();

    [GeneratedRegex(@"\b(?:on\s+)?(?:the\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(?<m>" + Months + @")\b(?:,?\s+(?<y>\d{4})\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex DayFirst();

    [GeneratedRegex(@"\b(?:on\s+)?the\s+(?<d>\d{1,2})(?:st|nd|rd|th)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DayOfMonth();

    [GeneratedRegex(@"\b(?:at\s+)?(?<h>\d{1,2})(?::(?<mi>\d{2}))?\s*(?<ap>a\.?m\.?|p\.?m\.?)(?=\W|$)", RegexOptions.CultureInvariant)]
    private static partial Regex ClockWithMeridiem();

    [GeneratedRegex(@"\b(?:at\s+)?(?<h>\d{1,2}):(?<mi>\d{2})\b", RegexOptions.CultureInvariant)]
    private static partial Regex Clock();

    [GeneratedRegex(@"\bat\s+(?:(?<h>\d{1,2})|(?<hw>" + HourWords + @"))(?:\s+o'?clock)?\b(?!\s*(?:%|[.,]\d))|\b(?:(?<h>\d{1,2})|(?<hw>" + HourWords + @"))\s+o'?clock\b", RegexOptions.CultureInvariant)]
    private static partial Regex AtHour();

    [GeneratedRegex(@"\b(?:at\s+)?(?<w>noon|midday|midnight)\b", RegexOptions.CultureInvariant)]
    private static partial Regex NoonOrMidnight();

    [GeneratedRegex(@"\b(?:in\s+the\s+|this\s+)?(?<p>morning|afternoon|evening)\b|\b(?:at\s+)?(?<p>night)\b", RegexOptions.CultureInvariant)]
    private static partial Regex DayPartWord();
}
